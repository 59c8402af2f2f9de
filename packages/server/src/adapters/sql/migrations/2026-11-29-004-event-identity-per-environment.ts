/**
 * An event's identity is its id and time *within its environment*: `(environment_id, event_id,
 * occurred_at)`. The key before, `(event_id, occurred_at)`, let an event of one project make an
 * event of another with the same client-chosen id and time look like a duplicate, so the second was
 * never stored. Environment ids are unique across projects, so the environment scopes the project too.
 *
 * PostgreSQL swaps the primary key of the partitioned table (each day partition gets its own index
 * from the parent; `occurred_at`, the partition key, must stay in the key). SQLite cannot change a
 * primary key in place, so the table is rebuilt with the new key and its rows copied over.
 *
 * `down` restores the old key; it fails, rather than dropping rows, when two environments hold the
 * same id and time. Frozen once merged.
 */
import { type Kysely, sql } from 'kysely';
import type { SqlDialect } from '../sql-database.js';
import { columnTypes } from './column-types.js';

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's Database type.
type AnyDatabase = Kysely<any>;

type EventKey = ('environment_id' | 'event_id' | 'occurred_at')[];

const NEW_KEY: EventKey = ['environment_id', 'event_id', 'occurred_at'];
const OLD_KEY: EventKey = ['event_id', 'occurred_at'];

const COLUMNS = sql.raw(
  'event_id, project_id, environment_id, type, unit_id, experiment, variant, event_name, value, properties, occurred_at, received_at',
);

/** SQLite: the events table rebuilt around `key`, same columns, rows and indexes. */
async function rebuildSqliteEvents(db: AnyDatabase, key: EventKey): Promise<void> {
  const types = columnTypes('sqlite');
  await db.schema
    .createTable('events_rebuilt')
    .addColumn('event_id', 'text', (column) => column.notNull())
    .addColumn('project_id', 'text', (column) => column.notNull())
    .addColumn('environment_id', 'text', (column) => column.notNull())
    .addColumn('type', 'text', (column) => column.notNull().check(sql`type in ('exposure', 'track')`))
    .addColumn('unit_id', 'text', (column) => column.notNull())
    .addColumn('experiment', 'text')
    .addColumn('variant', 'text')
    .addColumn('event_name', 'text')
    .addColumn('value', 'real')
    .addColumn('properties', types.json)
    .addColumn('occurred_at', types.timestamp, (column) => column.notNull())
    .addColumn('received_at', types.timestamp, (column) => column.notNull())
    .addPrimaryKeyConstraint('events_pk', key)
    .execute();
  await sql`insert into events_rebuilt (${COLUMNS}) select ${COLUMNS} from events`.execute(db);
  await db.schema.dropTable('events').execute();
  await db.schema.alterTable('events_rebuilt').renameTo('events').execute();
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
}

async function rekeyPostgresEvents(db: AnyDatabase, key: EventKey): Promise<void> {
  await db.schema.alterTable('events').dropConstraint('events_pk').execute();
  await db.schema.alterTable('events').addPrimaryKeyConstraint('events_pk', key).execute();
}

export function eventIdentityPerEnvironment(dialect: SqlDialect) {
  const rekey = dialect === 'postgres' ? rekeyPostgresEvents : rebuildSqliteEvents;
  return {
    async up(db: AnyDatabase): Promise<void> {
      await rekey(db, NEW_KEY);
    },
    async down(db: AnyDatabase): Promise<void> {
      await rekey(db, OLD_KEY);
    },
  };
}
