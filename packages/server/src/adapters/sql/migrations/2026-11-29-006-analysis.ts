/**
 * Analysis: background jobs and result snapshots. Frozen once merged.
 *
 * - `analysis_jobs`: one row per requested analysis, whatever queue carries it (in-process or
 *   BullMQ), so any API node can answer "how is job X doing" and the service can refuse to run
 *   two analyses of one experiment at once.
 * - `analysis_snapshots`: what an analysis computed, with what it was computed from (settings,
 *   metric definitions, the analysed period), so a result can always be explained later.
 */
import { type Kysely, sql } from 'kysely';
import type { SqlDialect } from '../sql-database.js';
import { columnTypes } from './column-types.js';

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's Database type.
type AnyDatabase = Kysely<any>;

export function analysis(dialect: SqlDialect) {
  const types = columnTypes(dialect);
  const real = dialect === 'postgres' ? 'double precision' : 'real';
  return {
    async up(db: AnyDatabase): Promise<void> {
      await db.schema
        .createTable('analysis_jobs')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('project_id', 'text', (column) =>
          column.notNull().references('projects.id').onDelete('cascade'),
        )
        .addColumn('type', 'text', (column) => column.notNull())
        .addColumn('experiment_key', 'text', (column) => column.notNull())
        .addColumn('environment_id', 'text', (column) => column.notNull())
        .addColumn('status', 'text', (column) =>
          column.notNull().check(sql`status in ('queued', 'running', 'succeeded', 'failed')`),
        )
        .addColumn('progress', real, (column) => column.notNull().defaultTo(0))
        .addColumn('attempts', 'integer', (column) => column.notNull().defaultTo(0))
        .addColumn('error', 'text')
        .addColumn('snapshot_id', 'text')
        .addColumn('created_at', types.timestamp, (column) => column.notNull())
        .addColumn('updated_at', types.timestamp, (column) => column.notNull())
        .addColumn('started_at', types.timestamp)
        .addColumn('finished_at', types.timestamp)
        .execute();
      // "Is an analysis of this experiment already queued or running?"
      await db.schema
        .createIndex('analysis_jobs_experiment_idx')
        .on('analysis_jobs')
        .columns(['project_id', 'experiment_key', 'environment_id', 'status'])
        .execute();
      // Never two analyses of one experiment at once, whichever workers pick them up: the second
      // claim fails on this index and its job waits for a retry.
      await db.schema
        .createIndex('analysis_jobs_one_running')
        .on('analysis_jobs')
        .columns(['project_id', 'experiment_key', 'environment_id'])
        .unique()
        .where(sql.ref('status'), '=', sql.lit('running'))
        .execute();
      // And at most one waiting: a request while one waits joins it, even when two race.
      await db.schema
        .createIndex('analysis_jobs_one_queued')
        .on('analysis_jobs')
        .columns(['project_id', 'experiment_key', 'environment_id'])
        .unique()
        .where(sql.ref('status'), '=', sql.lit('queued'))
        .execute();

      await db.schema
        .createTable('analysis_snapshots')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('project_id', 'text', (column) =>
          column.notNull().references('projects.id').onDelete('cascade'),
        )
        .addColumn('experiment_key', 'text', (column) => column.notNull())
        .addColumn('environment_id', 'text', (column) => column.notNull())
        .addColumn('job_id', 'text')
        .addColumn('computed_at', types.timestamp, (column) => column.notNull())
        .addColumn('settings', types.json, (column) => column.notNull())
        .addColumn('inputs', types.json, (column) => column.notNull())
        .addColumn('outputs', types.json, (column) => column.notNull())
        .execute();
      await db.schema
        .createIndex('analysis_snapshots_latest_idx')
        .on('analysis_snapshots')
        .columns(['project_id', 'experiment_key', 'environment_id', 'computed_at'])
        .execute();
    },
    async down(db: AnyDatabase): Promise<void> {
      await db.schema.dropTable('analysis_snapshots').execute();
      await db.schema.dropTable('analysis_jobs').execute();
    },
  };
}
