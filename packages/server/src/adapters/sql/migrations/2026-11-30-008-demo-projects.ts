/**
 * Demo projects: which project the instance seeded as its demo (on a fresh embedded store), so it
 * can be shown as such and removed in one action, and never confused with a project someone made.
 * Frozen once merged.
 */
import type { Kysely } from 'kysely';
import type { SqlDialect } from '../sql-database.js';
import { columnTypes } from './column-types.js';

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's Database type.
type AnyDatabase = Kysely<any>;

export function demoProjects(dialect: SqlDialect) {
  const types = columnTypes(dialect);
  return {
    async up(db: AnyDatabase): Promise<void> {
      await db.schema
        .createTable('demo_projects')
        .addColumn('project_id', 'text', (column) =>
          column.primaryKey().references('projects.id').onDelete('cascade'),
        )
        .addColumn('created_at', types.timestamp, (column) => column.notNull())
        .execute();
    },
    async down(db: AnyDatabase): Promise<void> {
      await db.schema.dropTable('demo_projects').execute();
    },
  };
}
