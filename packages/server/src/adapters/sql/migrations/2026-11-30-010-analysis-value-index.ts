/**
 * An ordered index on each metric's per-unit values, so a percentile cap reads the two order
 * statistics it interpolates between from the index (a bounded walk from the nearer end) instead
 * of sorting every analysed unit's value (docs/analysis.md, "Incremental per-unit facts").
 * Frozen once merged.
 */
import type { Kysely } from 'kysely';
import type { SqlDialect } from '../sql-database.js';

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's Database type.
type AnyDatabase = Kysely<any>;

export function analysisValueIndex(_dialect: SqlDialect) {
  return {
    async up(db: AnyDatabase): Promise<void> {
      await db.schema
        .createIndex('analysis_unit_metrics_value_idx')
        .on('analysis_unit_metrics')
        .columns(['metric_id', 'value'])
        .execute();
    },
    async down(db: AnyDatabase): Promise<void> {
      await db.schema.dropIndex('analysis_unit_metrics_value_idx').execute();
    },
  };
}
