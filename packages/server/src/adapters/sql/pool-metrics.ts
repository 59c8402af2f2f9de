/**
 * @module adapters/sql/pool-metrics
 * Pool saturation in Prometheus: for each named database (the primary, the read replica), its
 * connection limit, open and in-use connections, and requests waiting for a connection. Read at
 * scrape time from the database's own counters, so they are never stale.
 */
import { Gauge, type Registry } from 'prom-client';
import type { SqlDatabase } from './sql-database.js';

export function observeConnectionPools(
  registry: Registry,
  databases: ReadonlyArray<{ name: string; database: SqlDatabase }>,
): void {
  const each = (gauge: Gauge<'database'>, read: (database: SqlDatabase) => number) => {
    for (const { name, database } of databases) gauge.set({ database: name }, read(database));
  };
  const registers = [registry];
  new Gauge({
    name: 'cleave_db_pool_max_connections',
    help: 'The most connections the pool opens (SQLite: its one connection)',
    labelNames: ['database'],
    registers,
    collect() {
      each(this, (database) => database.connections.max);
    },
  });
  new Gauge({
    name: 'cleave_db_pool_connections',
    help: 'Open connections by state: lent to a query or transaction (in_use), or idle',
    labelNames: ['database', 'state'],
    registers,
    collect() {
      for (const { name, database } of databases) {
        const inUse = database.connections.inUse();
        this.set({ database: name, state: 'in_use' }, inUse);
        this.set({ database: name, state: 'idle' }, Math.max(0, database.connections.open() - inUse));
      }
    },
  });
  new Gauge({
    name: 'cleave_db_pool_waiting',
    help: 'Queries and transactions waiting for a free connection',
    labelNames: ['database'],
    registers,
    collect() {
      each(this, (database) => database.connections.waiting());
    },
  });
}
