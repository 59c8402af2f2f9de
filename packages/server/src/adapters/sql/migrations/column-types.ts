/**
 * @module adapters/sql/migrations/column-types
 * Column types per dialect, for migrations only. Frozen like the migrations themselves: a later
 * migration that needs a different type adds a new helper rather than editing these.
 */
import type { SqlDialect } from '../sql-database.js';

export interface ColumnTypes {
  /** ISO-8601 UTC time. */
  timestamp: 'text' | 'timestamptz';
  /** JSON document, read back as text. */
  json: 'text' | 'jsonb';
  /** A 64-bit, database-generated sequence number used as primary key. */
  sequence: 'integer' | 'bigint';
}

export function columnTypes(dialect: SqlDialect): ColumnTypes {
  return dialect === 'postgres'
    ? { timestamp: 'timestamptz', json: 'jsonb', sequence: 'bigint' }
    : { timestamp: 'text', json: 'text', sequence: 'integer' };
}
