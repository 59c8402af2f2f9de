/**
 * @module adapters/postgres/copy-event-store
 * The production events store: rows stream in with COPY (the fastest way into PostgreSQL) to a
 * temporary staging table, then one INSERT … SELECT … ON CONFLICT DO NOTHING moves the new ones
 * into the day partitions. COPY alone can't skip duplicates; the staging step keeps it idempotent.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type Kysely, sql } from 'kysely';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { EventStore, ExistingProjectsEventStore, LogBatchOutcome } from '../../ports/event-store.js';
import type { StoredEvent } from '../../ports/stored-event.js';
import { inChildSpan, SpanKind } from '../../runtime/trace-context.js';
import { isPostgresDataException } from '../sql/data-exception.js';
import type { Database } from '../sql/database.js';
import { projectIdsOf, splitByExistingProjects } from '../sql/existing-projects.js';
import { dayOf, type EventPartitions } from './event-partitions.js';

/** PostgreSQL's unique_violation. */
const UNIQUE_VIOLATION = '23505';
/** PostgreSQL's check_violation, raised when no partition accepts a row. */
const NO_PARTITION = '23514';

/** The columns of `events` the writer fills, in its CSV's order. */
export const COPY_COLUMNS = [
  'event_id',
  'project_id',
  'environment_id',
  'type',
  'unit_id',
  'experiment',
  'variant',
  'event_name',
  'value',
  'properties',
  'occurred_at',
  'received_at',
] as const;

/** CSV field: NULL is an unquoted empty field; every string is quoted, so "" stays an empty string. */
function csvField(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  return value.includes('"') ? `"${value.replaceAll('"', '""')}"` : `"${value}"`;
}

/** One CSV line of an event; `batch` adds the staging table's batch column. Written out by hand:
 * it runs once per event on the writer's hot path. */
export function csvLine(event: StoredEvent, batch?: number): string {
  const line =
    `${csvField(event.eventId)},${csvField(event.projectId)},${csvField(event.environmentId)},` +
    `${csvField(event.type)},${csvField(event.unitId)},${csvField(event.experiment)},` +
    `${csvField(event.variant)},${csvField(event.eventName)},${csvField(event.value)},` +
    `${csvField(event.properties)},` +
    `${csvField(event.occurredAt)},${csvField(event.receivedAt)}`;
  return batch === undefined ? `${line}\n` : `${line},${batch}\n`;
}

/** Lines per chunk written to the COPY stream. */
const LINES_PER_CHUNK = 1_000;

/**
 * The CSV of every batch in chunks of many lines: the COPY stream writes each chunk it is given
 * to the socket as its own CopyData message, so one line per chunk meant two socket writes per event.
 */
export function* csvChunks(
  batches: readonly (readonly StoredEvent[])[],
  withBatch: boolean,
): Generator<string> {
  let chunk = '';
  let lines = 0;
  for (const [index, batch] of batches.entries()) {
    for (const event of batch) {
      chunk += csvLine(event, withBatch ? index : undefined);
      lines += 1;
      if (lines === LINES_PER_CHUNK) {
        yield chunk;
        chunk = '';
        lines = 0;
      }
    }
  }
  if (lines > 0) yield chunk;
}

export class CopyEventStore implements EventStore, ExistingProjectsEventStore {
  constructor(
    private readonly pool: pg.Pool,
    private readonly db: Kysely<Database>,
    private readonly partitions: EventPartitions,
  ) {}

  async insertBatches(batches: readonly (readonly StoredEvent[])[]): Promise<number[]> {
    if (batches.every((batch) => batch.length === 0)) return batches.map(() => 0);
    return (await this.write(batches, false)).counts;
  }

  async insertForExistingProjects(events: readonly StoredEvent[]): Promise<LogBatchOutcome> {
    if (events.length === 0) return { inserted: 0, dropped: 0, deletedProjects: [] };
    const { counts, dropped } = await this.write([events], true);
    return { inserted: counts[0] ?? 0, ...dropped };
  }

  private async write(batches: readonly (readonly StoredEvent[])[], onlyExistingProjects: boolean) {
    const days = new Set(batches.flatMap((batch) => batch.map((event) => dayOf(event.occurredAt))));
    await this.partitions.ensure(days);
    try {
      return await this.insertInto(batches, onlyExistingProjects);
    } catch (error) {
      // 23514: no partition for a row. Another process's retention dropped a day this process
      // believed existed; forget what we knew, recreate, and try once more.
      if ((error as { code?: string }).code !== NO_PARTITION) throw error;
      this.partitions.forget();
      await this.partitions.ensure(days);
      return this.insertInto(batches, onlyExistingProjects);
    }
  }

  /** One transaction of COPYs (not seen by Kysely's query log): its own span when tracing. */
  private insertInto(batches: readonly (readonly StoredEvent[])[], onlyExistingProjects: boolean) {
    return inChildSpan(
      'COPY events',
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'db.system.name': 'postgresql',
          'db.operation.name': 'COPY',
          'db.collection.name': 'events',
          'db.operation.batch.size': batches.reduce((rows, batch) => rows + batch.length, 0),
        },
      },
      () => this.copyInto(batches, onlyExistingProjects),
    );
  }

  private async copyInto(
    all: readonly (readonly StoredEvent[])[],
    onlyExistingProjects: boolean,
  ): Promise<{ counts: number[]; dropped: Omit<LogBatchOutcome, 'inserted'> }> {
    const client = await this.pool.connect();
    try {
      await client.query('begin');
      let batches = all;
      let dropped: Omit<LogBatchOutcome, 'inserted'> = { dropped: 0, deletedProjects: [] };
      if (onlyExistingProjects) {
        // FOR KEY SHARE: a concurrent DELETE of the project waits for this commit (and its sweep
        // then removes these rows); one that committed first is seen, and its events are left out.
        const { rows } = await client.query<{ id: string }>(
          'select id from projects where id = any($1) for key share',
          [projectIdsOf(all.flat())],
        );
        const existing = new Set(rows.map((row) => row.id));
        const split = all.map((batch) => splitByExistingProjects(batch, existing));
        batches = split.map(({ live }) => live);
        dropped = {
          dropped: split.reduce((sum, part) => sum + part.dropped.dropped, 0),
          deletedProjects: [...new Set(split.flatMap((part) => part.dropped.deletedProjects))],
        };
        if (batches.every((batch) => batch.length === 0)) {
          await client.query('commit');
          return { counts: batches.map(() => 0), dropped };
        }
      }
      // Fast path: COPY straight into the partitions, as fast as PostgreSQL takes rows. Events are
      // new almost always; a redelivered batch (writer crash) or a re-sent event makes the COPY
      // fail on the key, and only then does the slower staging path sort out which rows are new.
      await client.query('savepoint direct_copy');
      try {
        await pipeline(
          Readable.from(csvChunks(batches, false)),
          client.query(copyFrom(`copy events (${COPY_COLUMNS.join(', ')}) from stdin with (format csv)`)),
        );
        await client.query('commit');
        return { counts: batches.map((batch) => batch.length), dropped };
      } catch (error) {
        if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
        await client.query('rollback to savepoint direct_copy');
      }
      const counts = await this.insertThroughStaging(client, batches);
      await client.query('commit');
      return { counts, dropped };
    } catch (error) {
      await client.query('rollback').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  /** COPY into a staging table, then move only the rows not stored yet; counts per batch. */
  private async insertThroughStaging(
    client: pg.PoolClient,
    batches: readonly (readonly StoredEvent[])[],
  ): Promise<number[]> {
    await client.query(
      `create temp table if not exists events_staging (like events including defaults, batch integer not null) on commit delete rows`,
    );
    await pipeline(
      Readable.from(csvChunks(batches, true)),
      client.query(
        copyFrom(`copy events_staging (${COPY_COLUMNS.join(', ')}, batch) from stdin with (format csv)`),
      ),
    );
    const counts = batches.map(() => 0);
    const { rows } = await client.query<{ batch: number }>(
      `with moved as (
         insert into events (${COPY_COLUMNS.join(', ')})
         select distinct on (environment_id, event_id, occurred_at) ${COPY_COLUMNS.join(', ')}
           from events_staging order by environment_id, event_id, occurred_at, batch
         on conflict (environment_id, event_id, occurred_at) do nothing
         returning environment_id, event_id, occurred_at
       )
       select min(s.batch) as batch
         from moved join events_staging s using (environment_id, event_id, occurred_at)
        group by moved.environment_id, moved.event_id, moved.occurred_at`,
    );
    // Each inserted event is credited to the first batch that carried it.
    for (const row of rows) counts[row.batch] = (counts[row.batch] ?? 0) + 1;
    return counts;
  }

  dropBefore(cutoff: Date): Promise<number> {
    return this.partitions.dropBefore(cutoff);
  }

  isDataRejection(error: unknown): boolean {
    return isPostgresDataException(error);
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
}
