/**
 * Per-unit daily facts: for each metric definition's facts, each unit's value (and ratio
 * denominator) change per UTC day of its events inside the metric's window, so the daily
 * cumulative series is read from the facts, not from every event (docs/analysis.md, "Incremental
 * per-unit facts"). Facts built before this migration have no days, so every fact set is cleared
 * and rebuilt by its next analysis (facts are derived from the events). Frozen once merged.
 */
import { type Kysely, sql } from 'kysely';
import type { SqlDialect } from '../sql-database.js';

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's Database type.
type AnyDatabase = Kysely<any>;

export function analysisUnitDays(dialect: SqlDialect) {
  const real = dialect === 'postgres' ? 'double precision' : 'real';
  const sequence = dialect === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: AnyDatabase): Promise<void> {
      await db.schema
        .createTable('analysis_unit_days')
        .addColumn('metric_id', sequence, (column) => column.notNull())
        .addColumn('unit_id', 'text', (column) => column.notNull())
        .addColumn('day', 'text', (column) => column.notNull())
        .addColumn('value', real, (column) => column.notNull())
        .addColumn('denominator', real)
        .addPrimaryKeyConstraint('analysis_unit_days_pk', ['metric_id', 'unit_id', 'day'])
        .execute();
      await sql`delete from analysis_unit_metrics`.execute(db);
      await sql`delete from analysis_fact_metrics`.execute(db);
      await sql`delete from analysis_unit_exposures`.execute(db);
      await sql`delete from analysis_fact_sets`.execute(db);
    },
    async down(db: AnyDatabase): Promise<void> {
      await db.schema.dropTable('analysis_unit_days').execute();
    },
  };
}
