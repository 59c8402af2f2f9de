/**
 * @module stores
 * Every feature's store, built on one Kysely handle, and the transactor that rebuilds them on a
 * transaction. Services take a `Transactor` so a change and its audit record commit or fail together
 * (the service, not the store, is the unit of work).
 */
import type { Kysely } from 'kysely';
import type { Database } from './adapters/sql/database.js';
import type { SqlDatabase } from './adapters/sql/sql-database.js';
import { type ApiKeyStore, KyselyApiKeyStore } from './features/api-keys/store.js';
import { type AuditStore, KyselyAuditStore } from './features/audit/store.js';
import { KyselyUserStore, type UserStore } from './features/auth/user-store.js';
import { type ConfigChangeStore, KyselyConfigChangeStore } from './features/changes/config-change-store.js';
import {
  type DefinitionReferenceStore,
  KyselyDefinitionReferenceStore,
} from './features/definitions/reference-store.js';
import { type DefinitionStore, KyselyDefinitionStore } from './features/definitions/store.js';
import { KyselyMemberStore, type MemberStore } from './features/members/store.js';
import { KyselyProjectStore, type ProjectStore } from './features/projects/store.js';
import { KyselyWebhookStore, type WebhookStore } from './features/webhooks/store.js';

export interface Stores {
  projects: ProjectStore;
  audit: AuditStore;
  users: UserStore;
  members: MemberStore;
  apiKeys: ApiKeyStore;
  configChanges: ConfigChangeStore;
  webhooks: WebhookStore;
  flags: DefinitionStore<unknown>;
  segments: DefinitionStore<unknown>;
  layers: DefinitionStore<unknown>;
  holdouts: DefinitionStore<unknown>;
  experiments: DefinitionStore<unknown>;
  metrics: DefinitionStore<unknown>;
  /** The references index between definitions; the definition stores keep it current. */
  definitionReferences: DefinitionReferenceStore;
}

export interface Transactor<S = Stores> {
  /** Runs `work` in one transaction; it commits when `work` resolves and rolls back when it rejects. */
  run<T>(work: (stores: S) => Promise<T>): Promise<T>;
  /**
   * Runs reads against one consistent snapshot (Postgres REPEATABLE READ; a SQLite transaction
   * already is one), so several queries see the same committed state.
   */
  snapshot<T>(work: (stores: S) => Promise<T>): Promise<T>;
}

export function sqlStores(db: Kysely<Database>): Stores {
  const references = new KyselyDefinitionReferenceStore(db);
  return {
    projects: new KyselyProjectStore(db),
    audit: new KyselyAuditStore(db),
    users: new KyselyUserStore(db),
    members: new KyselyMemberStore(db),
    apiKeys: new KyselyApiKeyStore(db),
    configChanges: new KyselyConfigChangeStore(db),
    webhooks: new KyselyWebhookStore(db),
    flags: new KyselyDefinitionStore(db, 'flags', references),
    segments: new KyselyDefinitionStore(db, 'segments', references),
    layers: new KyselyDefinitionStore(db, 'layers', references),
    holdouts: new KyselyDefinitionStore(db, 'holdouts', references),
    experiments: new KyselyDefinitionStore(db, 'experiments', references),
    metrics: new KyselyDefinitionStore(db, 'metrics'),
    definitionReferences: references,
  };
}

export function sqlTransactor(database: SqlDatabase): Transactor {
  return {
    run: (work) => database.db.transaction().execute((transaction) => work(sqlStores(transaction))),
    snapshot: (work) =>
      (database.dialect === 'postgres'
        ? database.db.transaction().setIsolationLevel('repeatable read')
        : database.db.transaction()
      ).execute((transaction) => work(sqlStores(transaction))),
  };
}
