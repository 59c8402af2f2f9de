/**
 * Management: memberships and sessions for people; flags, segments, layers, holdouts, experiments and metric
 * definitions; webhooks and their deliveries; the per-environment config version and the change
 * records that SDK delivery streams. Frozen once merged.
 *
 * Definitions are stored as one JSON document per resource (validated by `@cleave/core` before it is
 * written), beside the columns that lists filter and sort on. The document is what evaluation needs;
 * the columns are what queries need.
 */
import type { Kysely } from 'kysely';
import type { SqlDialect } from '../sql-database.js';
import { columnTypes } from './column-types.js';

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's Database type.
type AnyDatabase = Kysely<any>;

const DEFINITION_TABLES = ['flags', 'segments', 'layers', 'holdouts', 'experiments', 'metrics'] as const;

export function management(dialect: SqlDialect) {
  const types = columnTypes(dialect);
  return {
    async up(db: AnyDatabase): Promise<void> {
      await db.schema
        .alterTable('users')
        .addColumn('is_instance_admin', 'integer', (column) => column.notNull().defaultTo(0))
        .execute();
      await db.schema
        .alterTable('environments')
        .addColumn('config_version', 'integer', (column) => column.notNull().defaultTo(1))
        .execute();

      await db.schema
        .createTable('project_members')
        .addColumn('project_id', 'text', (column) =>
          column.notNull().references('projects.id').onDelete('cascade'),
        )
        .addColumn('user_id', 'text', (column) => column.notNull().references('users.id').onDelete('cascade'))
        .addColumn('role', 'text', (column) => column.notNull())
        .addColumn('created_at', types.timestamp, (column) => column.notNull())
        .addColumn('updated_at', types.timestamp, (column) => column.notNull())
        .addPrimaryKeyConstraint('project_members_pk', ['project_id', 'user_id'])
        .execute();
      await db.schema
        .createIndex('project_members_user_idx')
        .on('project_members')
        .column('user_id')
        .execute();

      await db.schema
        .createTable('sessions')
        .addColumn('token_hash', 'text', (column) => column.primaryKey())
        .addColumn('user_id', 'text', (column) => column.notNull().references('users.id').onDelete('cascade'))
        .addColumn('csrf_token', 'text', (column) => column.notNull())
        .addColumn('created_at', types.timestamp, (column) => column.notNull())
        .addColumn('expires_at', types.timestamp, (column) => column.notNull())
        .execute();
      await db.schema.createIndex('sessions_user_idx').on('sessions').column('user_id').execute();

      for (const table of DEFINITION_TABLES) {
        let create = db.schema
          .createTable(table)
          .addColumn('id', 'text', (column) => column.primaryKey())
          .addColumn('project_id', 'text', (column) =>
            column.notNull().references('projects.id').onDelete('cascade'),
          )
          .addColumn('key', 'text', (column) => column.notNull())
          .addColumn('name', 'text', (column) => column.notNull())
          .addColumn('description', 'text', (column) => column.notNull().defaultTo(''))
          .addColumn('tags', types.json, (column) => column.notNull())
          .addColumn('status', 'text', (column) => column.notNull().defaultTo('active'))
          .addColumn('definition', types.json, (column) => column.notNull())
          .addColumn('created_at', types.timestamp, (column) => column.notNull())
          .addColumn('updated_at', types.timestamp, (column) => column.notNull())
          .addColumn('version', 'integer', (column) => column.notNull().defaultTo(1));
        create = create.addUniqueConstraint(`${table}_project_key_unique`, ['project_id', 'key']);
        await create.execute();
        await db.schema
          .createIndex(`${table}_project_status_idx`)
          .on(table)
          .columns(['project_id', 'status', 'key'])
          .execute();
      }

      await db.schema
        .createTable('webhooks')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('project_id', 'text', (column) =>
          column.notNull().references('projects.id').onDelete('cascade'),
        )
        .addColumn('url', 'text', (column) => column.notNull())
        .addColumn('description', 'text', (column) => column.notNull().defaultTo(''))
        .addColumn('secret', 'text', (column) => column.notNull())
        .addColumn('events', types.json, (column) => column.notNull())
        .addColumn('enabled', 'integer', (column) => column.notNull().defaultTo(1))
        .addColumn('created_at', types.timestamp, (column) => column.notNull())
        .addColumn('updated_at', types.timestamp, (column) => column.notNull())
        .addColumn('version', 'integer', (column) => column.notNull().defaultTo(1))
        .execute();

      await db.schema
        .createTable('webhook_deliveries')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('webhook_id', 'text', (column) =>
          column.notNull().references('webhooks.id').onDelete('cascade'),
        )
        .addColumn('event_id', 'text', (column) => column.notNull())
        .addColumn('event_type', 'text', (column) => column.notNull())
        .addColumn('payload', types.json, (column) => column.notNull())
        .addColumn('status', 'text', (column) => column.notNull())
        .addColumn('attempts', 'integer', (column) => column.notNull().defaultTo(0))
        .addColumn('next_attempt_at', types.timestamp)
        .addColumn('last_status_code', 'integer')
        .addColumn('last_error', 'text')
        .addColumn('created_at', types.timestamp, (column) => column.notNull())
        .addColumn('updated_at', types.timestamp, (column) => column.notNull())
        .addUniqueConstraint('webhook_deliveries_event_unique', ['webhook_id', 'event_id'])
        .execute();
      await db.schema
        .createIndex('webhook_deliveries_due_idx')
        .on('webhook_deliveries')
        .columns(['status', 'next_attempt_at'])
        .execute();

      await db.schema
        .createTable('config_changes')
        .addColumn('sequence', types.sequence, (column) =>
          dialect === 'postgres'
            ? column.primaryKey().generatedByDefaultAsIdentity()
            : column.primaryKey().autoIncrement(),
        )
        .addColumn('project_id', 'text', (column) =>
          column.notNull().references('projects.id').onDelete('cascade'),
        )
        .addColumn('environment_id', 'text', (column) =>
          column.notNull().references('environments.id').onDelete('cascade'),
        )
        .addColumn('config_version', 'integer', (column) => column.notNull())
        .addColumn('resource_type', 'text', (column) => column.notNull())
        .addColumn('resource_key', 'text', (column) => column.notNull())
        .addColumn('action', 'text', (column) => column.notNull())
        .addColumn('created_at', types.timestamp, (column) => column.notNull())
        .execute();
      await db.schema
        .createIndex('config_changes_environment_idx')
        .on('config_changes')
        .columns(['environment_id', 'config_version'])
        .execute();
    },

    async down(db: AnyDatabase): Promise<void> {
      for (const table of [
        'config_changes',
        'webhook_deliveries',
        'webhooks',
        ...DEFINITION_TABLES.toReversed(),
        'sessions',
        'project_members',
      ]) {
        await db.schema.dropTable(table).execute();
      }
      await db.schema.alterTable('environments').dropColumn('config_version').execute();
      await db.schema.alterTable('users').dropColumn('is_instance_admin').execute();
    },
  };
}
