/**
 * @module adapters/sql/migrate
 * Applies pending migrations. Runs at every start and from `npm run migrate`; safe to run
 * concurrently from several nodes because Kysely takes a migration lock.
 */
import { Migrator } from 'kysely';
import { migrationProvider } from './migrations/index.js';
import type { SqlDatabase } from './sql-database.js';

export interface MigrationReport {
  applied: string[];
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
  const migrator = new Migrator({ db: database.db, provider: migrationProvider(database.dialect) });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error) {
    const failed = results.find((result) => result.status === 'Error');
    throw new MigrationError(failed?.migrationName, error);
  }
  return {
    applied: results.filter((result) => result.status === 'Success').map((result) => result.migrationName),
  };
}
