/**
 * Stored daily series points: per metric facts and cap settings, each UTC day's per-variant sums
 * as an analysis ending at that day's end would have computed them, with the events' ingestion
 * order they were computed at, so an analysis recomputes only days that newer events can change
 * (docs/analysis.md, "Daily series"). Derived from the facts: dropping them only costs a
 * recomputation. Frozen once merged.
 */
import type { Kysely } from 'kysely';
import type { SqlDialect } from '../sql-database.js';

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's Database type.
type AnyDatabase = Kysely<any>;

export function analysisSeriesDays(dialect: SqlDialect) {
  const real = dialect === 'postgres' ? 'double precision' : 'real';
  const sequence = dialect === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: AnyDatabase): Promise<void> {
      await db.schema
        .createTable('analysis_series_state')
        .addColumn('metric_id', sequence, (column) => column.notNull())
        .addColumn('settings_key', 'text', (column) => column.notNull())
        .addColumn('watermark', sequence, (column) => column.notNull())
        .addPrimaryKeyConstraint('analysis_series_state_pk', ['metric_id', 'settings_key'])
        .execute();
      let days = db.schema
        .createTable('analysis_series_days')
        .addColumn('metric_id', sequence, (column) => column.notNull())
        .addColumn('settings_key', 'text', (column) => column.notNull())
        .addColumn('day', 'text', (column) => column.notNull())
        .addColumn('variant', 'text', (column) => column.notNull())
        .addColumn('n', sequence, (column) => column.notNull());
      for (const column of [
        'value_sum',
        'value_squares',
        'covariate_sum',
        'covariate_squares',
        'covariate_product',
        'denominator_sum',
        'denominator_squares',
        'denominator_product',
      ])
        days = days.addColumn(column, real);
      await days
        .addPrimaryKeyConstraint('analysis_series_days_pk', ['metric_id', 'settings_key', 'day', 'variant'])
        .execute();
    },
    async down(db: AnyDatabase): Promise<void> {
      await db.schema.dropTable('analysis_series_days').execute();
      await db.schema.dropTable('analysis_series_state').execute();
    },
  };
}
