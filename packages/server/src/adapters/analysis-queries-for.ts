/**
 * @module adapters/analysis-queries-for
 * The analysis queries for a database: one SQL dialect per engine. The per-unit facts are written,
 * so they need the primary `database`; `readDatabase` (a replica) serves the reference computation.
 */
import type { AnalysisQueries, EventsDerivedState } from '../ports/analysis-queries.js';
import { postgresAnalysisQueries } from './postgres/analysis-queries.js';
import type { SqlDatabase } from './sql/sql-database.js';
import { sqliteAnalysisQueries } from './sqlite/analysis-queries.js';

export function analysisQueriesFor(
  database: SqlDatabase,
  readDatabase: SqlDatabase = database,
): AnalysisQueries & EventsDerivedState {
  return database.dialect === 'postgres'
    ? postgresAnalysisQueries(database.db, readDatabase.db)
    : sqliteAnalysisQueries(database.db);
}
