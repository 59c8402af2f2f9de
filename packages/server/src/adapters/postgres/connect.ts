/**
 * @module adapters/postgres/connect
 * PostgreSQL through node-postgres, with type parsers that make rows look exactly like SQLite's
 * (see adapters/sql/database.ts), so stores are dialect-free.
 */
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Database } from '../sql/database.js';
import { queryTracer } from '../sql/query-tracing.js';
import type { SqlDatabase } from '../sql/sql-database.js';

const OID = { int8: 20, timestamp: 1114, timestamptz: 1184, json: 114, jsonb: 3802 } as const;

const parseTimestamp = pg.types.getTypeParser(OID.timestamptz);

const typeOverrides: Record<number, (value: string) => unknown> = {
  // Safe: Cleave's 64-bit values are counts and sequences, far below 2^53.
  [OID.int8]: Number,
  [OID.timestamptz]: (value) => (parseTimestamp(value) as Date).toISOString(),
  [OID.timestamp]: (value) => new Date(`${value.replace(' ', 'T')}Z`).toISOString(),
  [OID.json]: (value) => value,
  [OID.jsonb]: (value) => value,
};

const DEFAULT_MAX_CONNECTIONS = 10;

export interface PostgresOptions {
  /** Pool size per process; the default suits one API node on a small database. */
  maxConnections?: number;
  /** A span per query, under the active span (tracing is on). */
  traceQueries?: boolean;
  /** Every transaction read-only: a handle that cannot write even where the server would allow it. */
  readOnly?: boolean;
}

export function createPostgresPool(url: string, options: PostgresOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
    connectionTimeoutMillis: 5_000,
    ...(options.readOnly && { options: '-c default_transaction_read_only=on' }),
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        typeOverrides[oid] ?? pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  // Nor may a checked-out one between two queries (a COPY's connection, a transaction's): the pool
  // listens only to idle clients, and node-postgres throws an unhandled 'error' event otherwise,
  // which killed the writer when PostgreSQL restarted. The query in flight fails on its own; the
  // pool drops a client that is no longer queryable when it comes back.
  pool.on('connect', (client) => {
    client.on('error', () => {});
  });
  return pool;
}

/** The Postgres database also exposes its pool, for what Kysely can't do (COPY). */
export interface PostgresDatabase extends SqlDatabase {
  readonly dialect: 'postgres';
  readonly pool: pg.Pool;
}

export function connectPostgres(url: string, options: PostgresOptions = {}): PostgresDatabase {
  const max = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  const pool = createPostgresPool(url, { ...options, maxConnections: max });
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    ...(options.traceQueries && { log: queryTracer('postgres') }),
  });
  return {
    dialect: 'postgres',
    db,
    pool,
    connections: {
      max,
      open: () => pool.totalCount,
      inUse: () => pool.totalCount - pool.idleCount,
      waiting: () => pool.waitingCount,
    },
    async ping() {
      await sql`select 1`.execute(db);
    },
    async close() {
      await db.destroy();
    },
  };
}
