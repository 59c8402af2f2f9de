/**
 * Foundation tables: projects, environments, users, API keys and the audit log.
 * Frozen once merged: change the schema with a new migration, never by editing this one.
 */
import { type Kysely, sql } from 'kysely';
import type { SqlDialect } from '../sql-database.js';
import { columnTypes } from './column-types.js';

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's Database type.
type AnyDatabase = Kysely<any>;

export function foundation(dialect: SqlDialect) {
  const types = columnTypes(dialect);
  return {
    async up(db: AnyDatabase): Promise<void> {
      await db.schema
        .createTable('projects')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('key', 'text', (column) => column.notNull().unique())
        .addColumn('name', 'text', (column) => column.notNull())
        .addColumn('description', 'text', (column) => column.notNull().defaultTo(''))
        .addColumn('created_at', types.timestamp, (column) => column.notNull())
        .addColumn('updated_at', types.timestamp, (column) => column.notNull())
        .addColumn('version', 'integer', (column) => column.notNull().defaultTo(1))
        .execute();

      await db.schema
        .createTable('environments')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('project_id', 'text', (column) =>
          column.notNull().references('projects.id').onDelete('cascade'),
        )
        .addColumn('key', 'text', (column) => column.notNull())
        .addColumn('name', 'text', (column) => column.notNull())
        .addColumn('position', 'integer', (column) => column.notNull())
        .addColumn('created_at', types.timestamp, (column) => column.notNull())
        .addColumn('updated_at', types.timestamp, (column) => column.notNull())
        .addColumn('version', 'integer', (column) => column.notNull().defaultTo(1))
        .addUniqueConstraint('environments_project_key_unique', ['project_id', 'key'])
        .execute();

      await db.schema
        .createTable('users')
        .addColumn('id', 'text', (column) => column.primaryKey())
        // Stored lower-cased by the service, so a plain unique index is case-insensitive in effect.
        .addColumn('email', 'text', (column) => column.notNull().unique())
        .addColumn('name', 'text', (column) => column.notNull())
        .addColumn('password_hash', 'text', (column) => column.notNull())
        .addColumn('created_at', types.timestamp, (column) => column.notNull())
        .addColumn('updated_at', types.timestamp, (column) => column.notNull())
        .addColumn('last_login_at', types.timestamp)
        .addColumn('version', 'integer', (column) => column.notNull().defaultTo(1))
        .execute();

      await db.schema
        .createTable('api_keys')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('project_id', 'text', (column) =>
          column.notNull().references('projects.id').onDelete('cascade'),
        )
        .addColumn('environment_id', 'text', (column) =>
          column.references('environments.id').onDelete('cascade'),
        )
        .addColumn('kind', 'text', (column) =>
          column.notNull().check(sql`kind in ('sdk', 'server', 'admin')`),
        )
        .addColumn('name', 'text', (column) => column.notNull())
        .addColumn('prefix', 'text', (column) => column.notNull())
        .addColumn('secret_hash', 'text', (column) => column.notNull().unique())
        .addColumn('created_by', 'text', (column) => column.references('users.id').onDelete('set null'))
        .addColumn('created_at', types.timestamp, (column) => column.notNull())
        .addColumn('last_used_at', types.timestamp)
        .addColumn('revoked_at', types.timestamp)
        .execute();
      await db.schema.createIndex('api_keys_project_idx').on('api_keys').column('project_id').execute();

      await db.schema
        .createTable('audit_log')
        .addColumn('sequence', types.sequence, (column) =>
          dialect === 'postgres'
            ? column.primaryKey().generatedByDefaultAsIdentity()
            : column.primaryKey().autoIncrement(),
        )
        .addColumn('id', 'text', (column) => column.notNull().unique())
        .addColumn('project_id', 'text', (column) => column.references('projects.id').onDelete('cascade'))
        .addColumn('actor_type', 'text', (column) => column.notNull())
        .addColumn('actor_id', 'text')
        .addColumn('action', 'text', (column) => column.notNull())
        .addColumn('resource_type', 'text', (column) => column.notNull())
        .addColumn('resource_id', 'text')
        .addColumn('before', types.json)
        .addColumn('after', types.json)
        .addColumn('request_id', 'text')
        .addColumn('created_at', types.timestamp, (column) => column.notNull())
        .execute();
      await db.schema
        .createIndex('audit_log_project_idx')
        .on('audit_log')
        .columns(['project_id', 'sequence'])
        .execute();
      await db.schema
        .createIndex('audit_log_resource_idx')
        .on('audit_log')
        .columns(['resource_type', 'resource_id'])
        .execute();
    },

    async down(db: AnyDatabase): Promise<void> {
      for (const table of ['audit_log', 'api_keys', 'users', 'environments', 'projects']) {
        await db.schema.dropTable(table).execute();
      }
    },
  };
}
