/**
 * @module adapters/sql/sql-database
 * A connected SQL database, whichever dialect: the Kysely handle plus what the rest of the server
 * needs to know about it (which dialect, is it reachable, how to close it).
 */
import type { Kysely } from 'kysely';
import type { ConnectionUsage } from './connection-usage.js';
import type { Database } from './database.js';

export type SqlDialect = 'sqlite' | 'postgres';

export interface SqlDatabase {
  readonly dialect: SqlDialect;
  readonly db: Kysely<Database>;
  /** How busy its connections are (pool saturation). */
  readonly connections: ConnectionUsage;
  /** Round-trips a trivial query; rejects when the database is unreachable. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
