/**
 * @module adapters/connect-database
 * Picks the SQL adapter for a database configuration: the composition root's single switch.
 */
import type { DatabaseConfig } from '../runtime/config.js';
import { connectPostgres } from './postgres/connect.js';
import type { SqlDatabase } from './sql/sql-database.js';
import { connectSqlite } from './sqlite/connect.js';

export function connectDatabase(
  config: DatabaseConfig,
  options: { traceQueries?: boolean } = {},
): SqlDatabase {
  return config.kind === 'postgres'
    ? connectPostgres(config.url, options)
    : connectSqlite(config.file, options);
}
