/**
 * @module stores
 * Every feature's store, built on one Kysely handle, and the transactor that rebuilds them on a
 * transaction. Services take a `Transactor` so a change and its audit record commit or fail together
 * (the service, not the store, is the unit of work).
 */
import type { Kysely } from 'kysely';
import type { Database } from './adapters/sql/database.js';
import type { SqlDatabase } from './adapters/sql/sql-database.js';
import { type AuditStore, KyselyAuditStore } from './features/audit/store.js';
import { KyselyProjectStore, type ProjectStore } from './features/projects/store.js';

export interface Stores {
  projects: ProjectStore;
  audit: AuditStore;
}

export interface Transactor<S = Stores> {
  /** Runs `work` in one transaction; it commits when `work` resolves and rolls back when it rejects. */
  run<T>(work: (stores: S) => Promise<T>): Promise<T>;
}

export function sqlStores(db: Kysely<Database>): Stores {
  return { projects: new KyselyProjectStore(db), audit: new KyselyAuditStore(db) };
}

export function sqlTransactor(database: SqlDatabase): Transactor {
  return {
    run: (work) => database.db.transaction().execute((transaction) => work(sqlStores(transaction))),
  };
}
