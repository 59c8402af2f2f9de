/**
 * @module test-support/databases
 * Real databases for tests: a fresh SQLite file, or a uniquely named PostgreSQL database created on
 * the server at TEST_DATABASE_URL and dropped afterwards. Both are migrated to the latest schema.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { connectPostgres } from '../adapters/postgres/connect.js';
import { migrateToLatest } from '../adapters/sql/migrate.js';
import type { SqlDatabase, SqlDialect } from '../adapters/sql/sql-database.js';
import { connectSqlite } from '../adapters/sqlite/connect.js';
import { TEST_DATABASE_URL } from './services.js';

export const DIALECTS: readonly SqlDialect[] = ['sqlite', 'postgres'];

export interface TestDatabase {
  database: SqlDatabase;
  /** For Postgres, the URL of the test database; for SQLite, the file path. */
  location: string;
  destroy(): Promise<void>;
}

export async function createTestDatabase(
  dialect: SqlDialect,
  options: { migrate?: boolean } = {},
): Promise<TestDatabase> {
  const created = dialect === 'sqlite' ? createSqliteDatabase() : await createPostgresDatabase();
  if (options.migrate ?? true) await migrateToLatest(created.database);
  return created;
}

function createSqliteDatabase(): TestDatabase {
  const directory = mkdtempSync(path.join(tmpdir(), 'cleave-test-'));
  const file = path.join(directory, 'cleave.db');
  const database = connectSqlite(file);
  return {
    database,
    location: file,
    async destroy() {
      await database.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** A name no concurrent test file can pick: process id plus randomness. */
export function uniqueDatabaseName(): string {
  return `cleave_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
}

export async function createPostgresDatabase(): Promise<TestDatabase> {
  const name = uniqueDatabaseName();
  await administer(`create database ${name}`);
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  const database = connectPostgres(url.toString(), { maxConnections: 4 });
  return {
    database,
    location: url.toString(),
    async destroy() {
      await database.close();
      await administer(`drop database if exists ${name} with (force)`);
    },
  };
}

async function administer(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `PostgreSQL is unreachable at ${TEST_DATABASE_URL} (${String(error instanceof Error ? error.message : error)}). ` +
        'Start it (see README "Running the tests") or point TEST_DATABASE_URL at a server.',
    );
  }
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
