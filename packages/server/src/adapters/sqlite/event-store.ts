/**
 * @module adapters/sqlite/event-store
 * The embedded events store: one prepared INSERT run per event inside one transaction, straight on
 * better-sqlite3. Through Kysely every batch compiled a statement of thousands of parameters, and
 * ingestion spent most of its time building SQL rather than storing rows.
 */
import type SQLite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { LogBatchOutcome } from '../../ports/event-store.js';
import type { StoredEvent } from '../../ports/stored-event.js';
import type { Database } from '../sql/database.js';
import { projectIdsOf, splitByExistingProjects } from '../sql/existing-projects.js';
import { KyselyEventStore } from '../sql/kysely-event-store.js';

/** Rows per transaction; at the default SDK batch sizes, tens of milliseconds of SQLite work. */
const ROWS_PER_TRANSACTION = 5_000;

type Row = [
  eventId: string,
  projectId: string,
  environmentId: string,
  type: string,
  unitId: string,
  experiment: string | null,
  variant: string | null,
  eventName: string | null,
  value: number | null,
  properties: string | null,
  occurredAt: string,
  receivedAt: string,
];

export class SqliteEventStore extends KyselyEventStore {
  private readonly insertRow: SQLite.Statement<Row>;
  private readonly insertAll: (batches: readonly (readonly StoredEvent[])[]) => number[];
  private readonly projectExists: SQLite.Statement<[string]>;
  private readonly insertExisting: (events: readonly StoredEvent[]) => LogBatchOutcome;

  constructor(
    private readonly kysely: Kysely<Database>,
    connection: SQLite.Database,
  ) {
    super(kysely);
    this.insertRow = connection.prepare<Row>(
      `insert into events (event_id, project_id, environment_id, type, unit_id, experiment, variant,
         event_name, value, properties, occurred_at, received_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       on conflict (environment_id, event_id, occurred_at) do nothing`,
    );
    this.projectExists = connection.prepare<[string]>('select 1 from projects where id = ?');
    const insertRows = (events: readonly StoredEvent[]) => {
      let inserted = 0;
      for (const event of events) {
        inserted += this.insertRow.run(
          event.eventId,
          event.projectId,
          event.environmentId,
          event.type,
          event.unitId,
          event.experiment,
          event.variant,
          event.eventName,
          event.value,
          event.properties,
          event.occurredAt,
          event.receivedAt,
        ).changes;
      }
      return inserted;
    };
    this.insertAll = connection.transaction((batches: readonly (readonly StoredEvent[])[]) =>
      batches.map(insertRows),
    );
    // One synchronous transaction: no project deletion can come between the look-up and the insert.
    this.insertExisting = connection.transaction((events: readonly StoredEvent[]): LogBatchOutcome => {
      const existing = new Set(
        projectIdsOf(events).filter((projectId) => this.projectExists.get(projectId) !== undefined),
      );
      const { live, dropped } = splitByExistingProjects(events, existing);
      return { inserted: insertRows(live), ...dropped };
    });
  }

  override async insertForExistingProjects(events: readonly StoredEvent[]): Promise<LogBatchOutcome> {
    if (events.length === 0) return { inserted: 0, dropped: 0, deletedProjects: [] };
    // Kysely's connection held, as in insertBatches below.
    return this.kysely.connection().execute(async () => this.insertExisting(events));
  }

  /**
   * Whole batches, in transactions of about {@link ROWS_PER_TRANSACTION} rows: a transaction runs
   * synchronously, so a group commit of many batches at once would hold up every other request of
   * the process; between transactions, they get their turn.
   */
  override async insertBatches(batches: readonly (readonly StoredEvent[])[]): Promise<number[]> {
    const counts: number[] = [];
    let start = 0;
    while (start < batches.length) {
      let end = start + 1;
      let rows = batches[start]?.length ?? 0;
      while (end < batches.length && rows + (batches[end]?.length ?? 0) <= ROWS_PER_TRANSACTION) {
        rows += batches[end]?.length ?? 0;
        end += 1;
      }
      const group = batches.slice(start, end);
      // Holding Kysely's connection keeps this transaction from running inside one of Kysely's
      // (its driver hands the single connection to one user at a time); otherwise a management
      // write rolled back between its awaits would take these events with it.
      counts.push(...(await this.kysely.connection().execute(async () => this.insertAll(group))));
      start = end;
    }
    return counts;
  }
}
