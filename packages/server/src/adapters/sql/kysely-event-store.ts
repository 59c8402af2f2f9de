/**
 * @module adapters/sql/kysely-event-store
 * Plain INSERT … ON CONFLICT DO NOTHING through Kysely: the base of the embedded store, and the
 * fallback on PostgreSQL when COPY is not available. The conflict target is the events key,
 * (environment, event id, time).
 */
import { type Kysely, sql } from 'kysely';
import type { EventStore, ExistingProjectsEventStore, LogBatchOutcome } from '../../ports/event-store.js';
import type { StoredEvent } from '../../ports/stored-event.js';
import { isPostgresDataException } from './data-exception.js';
import type { Database } from './database.js';
import { projectIdsOf, splitByExistingProjects } from './existing-projects.js';

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
export class KyselyEventStore implements EventStore, ExistingProjectsEventStore {
  constructor(
    private readonly db: Kysely<Database>,
    /** PostgreSQL: hold the projects read by `insertForExistingProjects` until the commit (SQLite has no row locks, nor needs them: it runs one write at a time). */
    private readonly options: { lockProjects?: boolean } = {},
  ) {}

  async insertBatches(batches: readonly (readonly StoredEvent[])[]): Promise<number[]> {
    if (batches.every((batch) => batch.length === 0)) return batches.map(() => 0);
    return this.db.transaction().execute(async (transaction) => {
      const counts: number[] = [];
      for (const events of batches) counts.push(await insertRows(transaction, events));
      return counts;
    });
  }

  async insertForExistingProjects(events: readonly StoredEvent[]): Promise<LogBatchOutcome> {
    if (events.length === 0) return { inserted: 0, dropped: 0, deletedProjects: [] };
    return this.db.transaction().execute(async (transaction) => {
      let query = transaction.selectFrom('projects').select('id').where('id', 'in', projectIdsOf(events));
      // FOR KEY SHARE: a concurrent DELETE of the project waits for this commit; renames don't.
      if (this.options.lockProjects) query = query.forKeyShare();
      const existing = new Set((await query.execute()).map((row) => row.id));
      const { live, dropped } = splitByExistingProjects(events, existing);
      return { inserted: await insertRows(transaction, live), ...dropped };
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

  async deleteProject(projectId: string): Promise<number> {
    const result = await this.db.deleteFrom('events').where('project_id', '=', projectId).executeTakeFirst();
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

async function insertRows(transaction: Kysely<Database>, events: readonly StoredEvent[]): Promise<number> {
  let inserted = 0;
  for (let start = 0; start < events.length; start += ROWS_PER_STATEMENT) {
    const rows = events.slice(start, start + ROWS_PER_STATEMENT).map(toRow);
    const result = await transaction
      .insertInto('events')
      .values(rows)
      .onConflict((conflict) => conflict.columns(['environment_id', 'event_id', 'occurred_at']).doNothing())
      .executeTakeFirst();
    inserted += Number(result.numInsertedOrUpdatedRows ?? 0);
  }
  return inserted;
}
