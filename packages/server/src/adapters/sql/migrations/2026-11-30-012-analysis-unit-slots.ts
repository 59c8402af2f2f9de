/**
 * Metric slots on the units' rows: each metric definition's facts take one of a fact set's
 * `ANALYSIS_FACT_SLOTS` slots (`analysis_fact_metrics.slot`), and every unit's row in
 * `analysis_unit_exposures` carries a copy of that metric's value, denominator and covariate in
 * the slot's columns (`v0`…`v7`, `d0`…`d7`, `c0`…`c7`). The analysis then reads one row per unit
 * for all its metrics instead of one per unit and metric (docs/analysis.md, "Incremental per-unit
 * facts"). Facts built before this migration have no slots, so every fact set is cleared and
 * rebuilt by its next analysis (facts are derived from the events). Frozen once merged.
 */
import { type Kysely, sql } from 'kysely';
import type { SqlDialect } from '../sql-database.js';

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's Database type.
type AnyDatabase = Kysely<any>;

/** Slots per fact set when this migration was written (the code's constant may not change it). */
const SLOTS = 8;

export function analysisUnitSlots(dialect: SqlDialect) {
  const real = dialect === 'postgres' ? 'double precision' : 'real';
  const columns = Array.from({ length: SLOTS }, (_, slot) => [`v${slot}`, `d${slot}`, `c${slot}`]).flat();
  return {
    async up(db: AnyDatabase): Promise<void> {
      await sql`delete from analysis_unit_days`.execute(db);
      await sql`delete from analysis_unit_metrics`.execute(db);
      await sql`delete from analysis_fact_metrics`.execute(db);
      await sql`delete from analysis_unit_exposures`.execute(db);
      await sql`delete from analysis_fact_sets`.execute(db);
      await db.schema.alterTable('analysis_fact_metrics').addColumn('slot', 'integer').execute();
      // One statement per column: SQLite adds one column per ALTER TABLE.
      for (const column of columns) {
        await db.schema.alterTable('analysis_unit_exposures').addColumn(column, real).execute();
      }
    },
    async down(db: AnyDatabase): Promise<void> {
      for (const column of columns) {
        await db.schema.alterTable('analysis_unit_exposures').dropColumn(column).execute();
      }
      await db.schema.alterTable('analysis_fact_metrics').dropColumn('slot').execute();
    },
  };
}
