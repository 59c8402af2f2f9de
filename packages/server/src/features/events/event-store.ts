/**
 * @module features/events/event-store
 * Where events end up. Writes are idempotent: an event already stored (same environment, id and
 * time) is skipped, so at-least-once delivery from the log plus this store gives exactly-once rows.
 * The environment is part of the identity: ids are chosen by clients, and one project's events must
 * never pass for duplicates of another's.
 */
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../adapters/sql/database.js';
import type { StoredEvent } from './event.js';

export interface EventStore {
  /**
   * Stores, in one transaction, the events not stored yet; returns how many of each batch were new
   * (group commit writes several requests' batches at once and answers each with its own count).
   */
  insertBatches(batches: readonly (readonly StoredEvent[])[]): Promise<number[]>;
  /**
   * Drops whole days of events before the day of `cutoff` (UTC); returns rows or partitions dropped.
   * Whole days on every store, so retention means the same thing on SQLite and PostgreSQL.
   */
  dropBefore(cutoff: Date): Promise<number>;
  count(filter?: { environmentId?: string }): Promise<number>;
  /**
   * Whether a failed insert was the database refusing the data itself (it will refuse it again),
   * rather than being unavailable (worth retrying). The writer sets such events aside.
   */
  isDataRejection(error: unknown): boolean;
}

/** Rows per INSERT statement: SQLite allows 32,766 bound parameters, 12 per row. */
const ROWS_PER_STATEMENT = 500;

export function toRow(event: StoredEvent) {
  return {
    event_id: event.eventId,
    project_id: event.projectId,
    environment_id: event.environmentId,
    type: event.type,
    unit_id: event.unitId,
    experiment: event.experiment,
    variant: event.variant,
    event_name: event.eventName,
    value: event.value,
    properties: event.properties,
    occurred_at: event.occurredAt,
    received_at: event.receivedAt,
  };
}

/** Plain INSERT … ON CONFLICT DO NOTHING: the embedded store, and the fallback on PostgreSQL. */
export class KyselyEventStore implements EventStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insertBatches(batches: readonly (readonly StoredEvent[])[]): Promise<number[]> {
    if (batches.every((batch) => batch.length === 0)) return batches.map(() => 0);
    return this.db.transaction().execute(async (transaction) => {
      const counts: number[] = [];
      for (const events of batches) {
        let inserted = 0;
        for (let start = 0; start < events.length; start += ROWS_PER_STATEMENT) {
          const rows = events.slice(start, start + ROWS_PER_STATEMENT).map(toRow);
          const result = await transaction
            .insertInto('events')
            .values(rows)
            .onConflict((conflict) =>
              conflict.columns(['environment_id', 'event_id', 'occurred_at']).doNothing(),
            )
            .executeTakeFirst();
          inserted += Number(result.numInsertedOrUpdatedRows ?? 0);
        }
        counts.push(inserted);
      }
      return counts;
    });
  }

  async dropBefore(cutoff: Date): Promise<number> {
    const startOfDay = `${cutoff.toISOString().slice(0, 10)}T00:00:00.000Z`;
    const result = await this.db
      .deleteFrom('events')
      .where('occurred_at', '<', startOfDay)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async count(filter: { environmentId?: string } = {}): Promise<number> {
    let query = this.db.selectFrom('events').select(sql<number>`count(*)`.as('count'));
    if (filter.environmentId) query = query.where('environment_id', '=', filter.environmentId);
    return Number((await query.executeTakeFirstOrThrow()).count);
  }

  isDataRejection(error: unknown): boolean {
    return isPostgresDataException(error);
  }
}

/** SQLSTATE class 22, "data exception": a value the database cannot store (bad text, out of range). */
export function isPostgresDataException(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^22[0-9A-Z]{3}$/.test(code);
}
