/**
 * Analysis facts: per-unit state the analysis keeps up to date from only the events that arrived
 * since its last refresh, so an analysis aggregates one row per unit instead of re-reading every
 * event (docs/analysis.md, "Incremental per-unit facts"). Frozen once merged.
 *
 * - `events.ingest_seq` (PostgreSQL): the order in which rows were stored, from a sequence. The
 *   analysis reads "everything stored since its watermark" through it. Rows stored before this
 *   migration have none and count as older than any watermark. SQLite needs no column: its
 *   `rowid` already grows with every insert of its single writer.
 * - `analysis_fact_sets`: one per experiment, environment and start of the analysed period, with
 *   the watermark its facts are complete up to.
 * - `analysis_unit_exposures`: each unit's first exposure (variant, t0) and when a second variant
 *   first appeared (`mixed_at`), maintained from new exposures alone.
 * - `analysis_fact_metrics` / `analysis_unit_metrics`: per metric definition of a set (keyed by a
 *   hash of what its SQL depends on) each unit's uncapped value, denominator and covariate, beside
 *   a copy of the unit's variant, t0 and `mixed_at` so the analysis reads one narrow row per unit.
 *   Sets and metrics have numeric ids to keep those rows narrow.
 */
import { type Kysely, sql } from 'kysely';
import type { SqlDialect } from '../sql-database.js';
import { columnTypes } from './column-types.js';

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's Database type.
type AnyDatabase = Kysely<any>;

export function analysisFacts(dialect: SqlDialect) {
  const types = columnTypes(dialect);
  const real = dialect === 'postgres' ? 'double precision' : 'real';
  const sequence = dialect === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: AnyDatabase): Promise<void> {
      if (dialect === 'postgres') {
        await sql`create sequence if not exists events_ingest_seq`.execute(db);
        // Nullable, default set afterwards: existing rows stay as they are (no table rewrite).
        await sql`alter table events add column ingest_seq bigint`.execute(db);
        await sql`alter table events alter column ingest_seq set default nextval('events_ingest_seq')`.execute(
          db,
        );
        // Owned by the column: dropped with the table (a restore clears tables, then recreates both).
        await sql`alter sequence events_ingest_seq owned by events.ingest_seq`.execute(db);
        // On the partitioned table: every day partition, present and future, gets its own.
        await sql`create index events_ingest_idx on events (ingest_seq)`.execute(db);
      }

      await db.schema
        .createTable('analysis_fact_sets')
        .addColumn('id', types.sequence, (column) =>
          dialect === 'postgres'
            ? column.primaryKey().generatedByDefaultAsIdentity()
            : column.primaryKey().autoIncrement(),
        )
        .addColumn('project_id', 'text', (column) => column.notNull())
        .addColumn('environment_id', 'text', (column) => column.notNull())
        .addColumn('experiment_key', 'text', (column) => column.notNull())
        .addColumn('start_at', types.timestamp)
        .addColumn('watermark', sequence, (column) => column.notNull())
        .addColumn('watermark_event', 'text')
        .addColumn('earliest_t0', types.timestamp)
        .addColumn('updated_at', types.timestamp, (column) => column.notNull())
        .execute();
      await db.schema
        .createIndex('analysis_fact_sets_experiment_idx')
        .on('analysis_fact_sets')
        .columns(['environment_id', 'experiment_key'])
        .unique()
        .execute();

      await db.schema
        .createTable('analysis_unit_exposures')
        .addColumn('set_id', sequence, (column) => column.notNull())
        .addColumn('unit_id', 'text', (column) => column.notNull())
        .addColumn('variant', 'text', (column) => column.notNull())
        .addColumn('t0', types.timestamp, (column) => column.notNull())
        .addColumn('mixed_at', types.timestamp)
        .addColumn('t0_seq', sequence, (column) => column.notNull())
        .addColumn('changed_seq', sequence, (column) => column.notNull())
        .addPrimaryKeyConstraint('analysis_unit_exposures_pk', ['set_id', 'unit_id'])
        .execute();

      await db.schema
        .createTable('analysis_fact_metrics')
        .addColumn('id', types.sequence, (column) =>
          dialect === 'postgres'
            ? column.primaryKey().generatedByDefaultAsIdentity()
            : column.primaryKey().autoIncrement(),
        )
        .addColumn('set_id', sequence, (column) => column.notNull())
        .addColumn('metric_hash', 'text', (column) => column.notNull())
        .addColumn('watermark', sequence, (column) => column.notNull())
        .addColumn('lookback_seconds', real, (column) => column.notNull())
        .execute();
      await db.schema
        .createIndex('analysis_fact_metrics_definition_idx')
        .on('analysis_fact_metrics')
        .columns(['set_id', 'metric_hash'])
        .unique()
        .execute();

      await db.schema
        .createTable('analysis_unit_metrics')
        .addColumn('metric_id', sequence, (column) => column.notNull())
        .addColumn('unit_id', 'text', (column) => column.notNull())
        .addColumn('variant', 'text', (column) => column.notNull())
        .addColumn('t0', types.timestamp, (column) => column.notNull())
        .addColumn('mixed_at', types.timestamp)
        .addColumn('value', real, (column) => column.notNull())
        .addColumn('denominator', real)
        .addColumn('covariate', real)
        .addPrimaryKeyConstraint('analysis_unit_metrics_pk', ['metric_id', 'unit_id'])
        .execute();
    },
    async down(db: AnyDatabase): Promise<void> {
      await db.schema.dropTable('analysis_unit_metrics').execute();
      await db.schema.dropTable('analysis_fact_metrics').execute();
      await db.schema.dropTable('analysis_unit_exposures').execute();
      await db.schema.dropTable('analysis_fact_sets').execute();
      if (dialect === 'postgres') {
        await sql`alter table events drop column ingest_seq`.execute(db);
        await sql`drop sequence if exists events_ingest_seq`.execute(db);
      }
    },
  };
}
