/**
 * @module adapters/sql/transactor
 * The unit of work. A service opens a transaction with `run` and hands its handle to its own
 * stores and to the services of other features that take part (audit, change records, webhooks),
 * so a change and everything it causes commit or roll back together.
 */
import type { Kysely } from 'kysely';
import type { Database } from './database.js';
import type { SqlDatabase } from './sql-database.js';

/** The database, or a transaction on it: every store is built on one of these. */
export type SqlExecutor = Kysely<Database>;

export interface Transactor {
  /** Reads outside a transaction. */
  readonly db: SqlExecutor;
  /** Runs `work` in one transaction; it commits when `work` resolves and rolls back when it rejects. */
  run<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /**
   * Runs reads against one consistent snapshot (PostgreSQL REPEATABLE READ; a SQLite transaction
   * already is one), so several queries see the same committed state.
   */
  snapshot<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
}

export function sqlTransactor(database: SqlDatabase): Transactor {
  return {
    db: database.db,
    run: (work) => database.db.transaction().execute(work),
    snapshot: (work) =>
      (database.dialect === 'postgres'
        ? database.db.transaction().setIsolationLevel('repeatable read')
        : database.db.transaction()
      ).execute(work),
  };
}
