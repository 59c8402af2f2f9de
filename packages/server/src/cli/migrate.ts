#!/usr/bin/env node
/**
 * @module migrate-cli
 * `npm run migrate`: applies pending migrations to the configured database and exits.
 */
import { connectDatabase } from '../adapters/connect-database.js';
import { migrateToLatest } from '../adapters/sql/migrate.js';
import { ConfigError, loadConfig } from '../runtime/config.js';

try {
  const config = loadConfig(process.env);
  const database = connectDatabase(config.database);
  try {
    const { applied } = await migrateToLatest(database);
    const target = config.database.kind === 'postgres' ? 'PostgreSQL' : config.database.file;
    process.stdout.write(
      applied.length === 0
        ? `Database ${target} is up to date.\n`
        : `Applied ${applied.length} migration(s) to ${target}: ${applied.join(', ')}\n`,
    );
  } finally {
    await database.close();
  }
} catch (error) {
  process.stderr.write(
    `${error instanceof ConfigError ? error.message : `Migration failed: ${String(error instanceof Error ? error.message : error)}`}\n`,
  );
  process.exit(1);
}
