/**
 * @module adapters/sqlite/connect
 * The embedded database: one SQLite file in WAL mode through better-sqlite3.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { DriverConnectionCounter } from '../sql/connection-usage.js';
import type { Database } from '../sql/database.js';
import { queryTracer } from '../sql/query-tracing.js';
import type { SqlDatabase } from '../sql/sql-database.js';

/** The SQLite database also exposes its connection, for statements Kysely would rebuild per call. */
export interface SqliteDatabase extends SqlDatabase {
  readonly dialect: 'sqlite';
  readonly connection: SQLite.Database;
}

export interface SqliteOptions {
  /** A span per query, under the active span (tracing is on). */
  traceQueries?: boolean;
}

export function connectSqlite(file: string, options: SqliteOptions = {}): SqliteDatabase {
  mkdirSync(path.dirname(file), { recursive: true });
  const connection = new SQLite(file);
  // WAL lets readers proceed while a writer commits; NORMAL sync is durable across process crashes
  // (the WAL is fsynced at checkpoints), which is the guarantee the embedded mode promises.
  connection.pragma('journal_mode = WAL');
  connection.pragma('synchronous = NORMAL');
  connection.pragma('foreign_keys = ON');
  // A second process (e.g. `npm run migrate` beside a running server) waits instead of failing.
  connection.pragma('busy_timeout = 5000');
  const counter = new DriverConnectionCounter();
  const db = new Kysely<Database>({
    dialect: counter.wrap(new SqliteDialect({ database: rollbackTolerant(connection) })),
    ...(options.traceQueries && { log: queryTracer('sqlite') }),
  });
  return {
    dialect: 'sqlite',
    db,
    connection,
    connections: {
      max: 1,
      open: () => (connection.open ? 1 : 0),
      inUse: () => counter.inUse,
      waiting: () => counter.waiting,
    },
    async ping() {
      await sql`select 1`.execute(db);
    },
    async close() {
      await db.destroy();
    },
  };
}

/**
 * SQLite rolls a transaction back by itself on some errors (SQLITE_FULL when the disk is full,
 * SQLITE_IOERR, SQLITE_NOMEM); Kysely then sends its own ROLLBACK, which fails with "no transaction
 * is active" and replaces the real cause (a full disk became a 500 instead of a 503). This view of
 * the connection makes that ROLLBACK a no-op when no transaction is open, so the cause surfaces.
 */
function rollbackTolerant(connection: SQLite.Database): SQLite.Database {
  const nothing = connection.prepare('select 1 where 0');
  return new Proxy(connection, {
    get(target, property) {
      if (property === 'prepare') {
        return (source: string) =>
          source === 'rollback' && !target.inTransaction ? nothing : target.prepare(source);
      }
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
