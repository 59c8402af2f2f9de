/**
 * @module adapters/event-store-for
 * The events store for a database: COPY-based on PostgreSQL, prepared inserts on SQLite.
 */
import type { EventStore, ExistingProjectsEventStore } from '../ports/event-store.js';
import type { PostgresDatabase } from './postgres/connect.js';
import { CopyEventStore } from './postgres/copy-event-store.js';
import { EventPartitions } from './postgres/event-partitions.js';
import { KyselyEventStore } from './sql/kysely-event-store.js';
import type { SqlDatabase } from './sql/sql-database.js';
import type { SqliteDatabase } from './sqlite/connect.js';
import { SqliteEventStore } from './sqlite/event-store.js';

export function eventStoreFor(database: SqlDatabase): EventStore & ExistingProjectsEventStore {
  if (database.dialect === 'postgres' && 'pool' in database) {
    const postgres = database as PostgresDatabase;
    return new CopyEventStore(postgres.pool, postgres.db, new EventPartitions(postgres.pool));
  }
  if (database.dialect === 'sqlite' && 'connection' in database) {
    const sqlite = database as SqliteDatabase;
    return new SqliteEventStore(sqlite.db, sqlite.connection);
  }
  return new KyselyEventStore(database.db, { lockProjects: database.dialect === 'postgres' });
}
