/**
 * @module adapters/sql/migrate
 * Applies pending migrations. Runs at every start and from `npm run migrate`; safe to run
 * concurrently from several nodes because Kysely takes a migration lock.
 */
import { Migrator, sql } from 'kysely';
import { migrationProvider } from './migrations/index.js';
import type { SqlDatabase } from './sql-database.js';

export interface MigrationReport {
  applied: string[];
  /**
   * Migrations the database has that this build does not know: a newer release migrated it. This
   * build runs on it unchanged (every migration keeps the previous release working, see
   * docs/operations.md), which is what lets old and new tasks overlap during a rolling upgrade.
   */
  newer: string[];
}

export class MigrationError extends Error {
  constructor(
    readonly migration: string | undefined,
    cause: unknown,
  ) {
    super(
      `Migration ${migration ?? '(unknown)'} failed: ${cause instanceof Error ? cause.message : String(cause)}`,
      {
        cause,
      },
    );
    this.name = 'MigrationError';
  }
}

export async function migrateToLatest(database: SqlDatabase): Promise<MigrationReport> {
  const provider = migrationProvider(database.dialect);
  const migrator = new Migrator({ db: database.db, provider });
  // Kysely refuses a database that ran migrations it is not given ("corrupted migrations"), which
  // would stop a task of the previous release from (re)starting once the new release migrated.
  const known = new Set(Object.keys(await provider.getMigrations()));
  const executed = await executedMigrations(database);
  const newer = executed.filter((name) => !known.has(name));
  if (newer.length > 0) {
    const missing = [...known].filter((name) => !executed.includes(name));
    if (missing.length > 0)
      throw new MigrationError(
        missing[0],
        new Error(
          `the database has migrations this release does not know (${newer.join(', ')}) but lacks ${missing.join(', ')}; it belongs to a different line of releases`,
        ),
      );
    return { applied: [], newer };
  }
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error) {
    const failed = results.find((result) => result.status === 'Error');
    throw new MigrationError(failed?.migrationName, error);
  }
  return {
    applied: results.filter((result) => result.status === 'Success').map((result) => result.migrationName),
    newer: [],
  };
}

/** Names of the migrations the database has run, none before the first start. */
async function executedMigrations(database: SqlDatabase): Promise<string[]> {
  const tables = await database.db.introspection.getTables({ withInternalKyselyTables: true });
  if (!tables.some((table) => table.name === 'kysely_migration')) return [];
  const { rows } = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(
    database.db,
  );
  return rows.map((row) => row.name);
}
