/**
 * The events store: exposures and tracked events, one row per event.
 *
 * An event is identified by its client-generated id and its time: a retried batch carries both
 * unchanged, so `(event_id, occurred_at)` as the key makes every write idempotent. (PostgreSQL can
 * only enforce uniqueness on a partitioned table with the partition key in it.)
 *
 * PostgreSQL partitions the table by day of `occurred_at`: writes touch one or two recent
 * partitions, analysis scans only the days it needs, and retention drops whole partitions instead
 * of deleting rows. Partitions are created by the writer as days arrive. Frozen once merged.
 */
import { type Kysely, sql } from 'kysely';
import type { SqlDialect } from '../sql-database.js';
import { columnTypes } from './column-types.js';

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's Database type.
type AnyDatabase = Kysely<any>;

export function events(dialect: SqlDialect) {
  const types = columnTypes(dialect);
  return {
    async up(db: AnyDatabase): Promise<void> {
      let table = db.schema
        .createTable('events')
        .addColumn('event_id', dialect === 'postgres' ? 'uuid' : 'text', (column) => column.notNull())
        .addColumn('project_id', 'text', (column) => column.notNull())
        .addColumn('environment_id', 'text', (column) => column.notNull())
        .addColumn('type', 'text', (column) => column.notNull().check(sql`type in ('exposure', 'track')`))
        .addColumn('unit_id', 'text', (column) => column.notNull())
        .addColumn('experiment', 'text')
        .addColumn('variant', 'text')
        .addColumn('event_name', 'text')
        .addColumn('value', dialect === 'postgres' ? 'double precision' : 'real')
        .addColumn('properties', types.json)
        .addColumn('occurred_at', types.timestamp, (column) => column.notNull())
        .addColumn('received_at', types.timestamp, (column) => column.notNull())
        .addPrimaryKeyConstraint('events_pk', ['event_id', 'occurred_at']);
      if (dialect === 'postgres') table = table.modifyEnd(sql`partition by range (occurred_at)`);
      await table.execute();
      // Exposures are read per experiment; tracked events per event name; both per environment and time.
      await db.schema
        .createIndex('events_exposure_idx')
        .on('events')
        .columns(['environment_id', 'experiment', 'occurred_at'])
        .execute();
      await db.schema
        .createIndex('events_track_idx')
        .on('events')
        .columns(['environment_id', 'event_name', 'occurred_at'])
        .execute();
    },
    async down(db: AnyDatabase): Promise<void> {
      await db.schema.dropTable('events').execute();
    },
  };
}
