/**
 * @module adapters/sql/connection-usage
 * How busy a database's connections are, for the pool-saturation metrics: how many connections
 * the pool may open, how many are open, in use, and how many queries wait for one.
 *
 * PostgreSQL answers from node-postgres's own pool counters (they also see COPY, which bypasses
 * Kysely). SQLite has one connection that Kysely lends to one query or transaction at a time; a
 * second one waits for it, so the true figures are counted at Kysely's driver.
 */
import type { DatabaseConnection, Dialect, Driver } from 'kysely';

export interface ConnectionUsage {
  /** The most connections the pool opens. */
  readonly max: number;
  /** Connections open now (in use or idle). */
  open(): number;
  /** Connections lent to a query or transaction now. */
  inUse(): number;
  /** Queries and transactions waiting for a connection now. */
  waiting(): number;
}

/** Counts what goes through a Kysely driver: connections lent, and requests still waiting. */
export class DriverConnectionCounter {
  private lent = 0;
  private queued = 0;

  /** A dialect whose driver reports to this counter. */
  wrap(dialect: Dialect): Dialect {
    return {
      createAdapter: () => dialect.createAdapter(),
      createIntrospector: (db) => dialect.createIntrospector(db),
      createQueryCompiler: () => dialect.createQueryCompiler(),
      createDriver: () => this.countingDriver(dialect.createDriver()),
    };
  }

  get inUse(): number {
    return this.lent;
  }

  get waiting(): number {
    return this.queued;
  }

  private countingDriver(driver: Driver): Driver {
    const acquire = async (): Promise<DatabaseConnection> => {
      this.queued += 1;
      let connection: DatabaseConnection;
      try {
        connection = await driver.acquireConnection();
      } finally {
        this.queued -= 1;
      }
      this.lent += 1;
      return connection;
    };
    const release = async (connection: DatabaseConnection): Promise<void> => {
      this.lent -= 1;
      await driver.releaseConnection(connection);
    };
    return new Proxy(driver, {
      get(target, property) {
        if (property === 'acquireConnection') return acquire;
        if (property === 'releaseConnection') return release;
        const value = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  }
}
