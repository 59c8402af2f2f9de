/**
 * @module test-support/stores
 * Every feature's store on one handle, for store-level tests that need rows of several features
 * (an audit record needs its project). Production code never has such a bag: each feature builds
 * its own store on the transaction it is given.
 */
import type { SqlDatabase } from '../adapters/sql/sql-database.js';
import type { SqlExecutor } from '../adapters/sql/transactor.js';
import { KyselyApiKeyStore } from '../features/api-keys/store.js';
import { KyselyAuditStore } from '../features/audit/store.js';
import { KyselyUserStore } from '../features/auth/user-store.js';
import { KyselyConfigChangeStore } from '../features/changes/config-change-store.js';
import { KyselyMemberStore } from '../features/members/store.js';
import { KyselyProjectStore } from '../features/projects/store.js';
import { KyselyWebhookStore } from '../features/webhooks/store.js';

export function sqlStores(db: SqlExecutor) {
  return {
    projects: new KyselyProjectStore(db),
    audit: new KyselyAuditStore(db),
    users: new KyselyUserStore(db),
    members: new KyselyMemberStore(db),
    apiKeys: new KyselyApiKeyStore(db),
    configChanges: new KyselyConfigChangeStore(db),
    webhooks: new KyselyWebhookStore(db),
  };
}

/** Runs `work` with every store on one transaction. */
export function sqlTransactor(database: SqlDatabase) {
  return {
    run: <T>(work: (stores: ReturnType<typeof sqlStores>) => Promise<T>): Promise<T> =>
      database.db.transaction().execute((transaction) => work(sqlStores(transaction))),
  };
}
