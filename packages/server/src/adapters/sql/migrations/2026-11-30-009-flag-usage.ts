/**
 * Flag usage: when each flag was last evaluated by the server (remote evaluation and OFREP) in each
 * environment, so flags nobody asks for any more can be listed for clean-up. One row per
 * environment and flag, moved forward only; nodes write it in batches, not per evaluation.
 * Frozen once merged.
 */
import type { Kysely } from 'kysely';
import type { SqlDialect } from '../sql-database.js';
import { columnTypes } from './column-types.js';

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's Database type.
type AnyDatabase = Kysely<any>;

export function flagUsage(dialect: SqlDialect) {
  const types = columnTypes(dialect);
  return {
    async up(db: AnyDatabase): Promise<void> {
      await db.schema
        .createTable('flag_usage')
        .addColumn('environment_id', 'text', (column) =>
          column.notNull().references('environments.id').onDelete('cascade'),
        )
        .addColumn('flag_key', 'text', (column) => column.notNull())
        .addColumn('project_id', 'text', (column) =>
          column.notNull().references('projects.id').onDelete('cascade'),
        )
        .addColumn('last_evaluated_at', types.timestamp, (column) => column.notNull())
        .addPrimaryKeyConstraint('flag_usage_pk', ['environment_id', 'flag_key'])
        .execute();
    },
    async down(db: AnyDatabase): Promise<void> {
      await db.schema.dropTable('flag_usage').execute();
    },
  };
}
