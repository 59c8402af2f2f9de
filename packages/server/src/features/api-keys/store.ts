/**
 * @module features/api-keys/store
 * API keys, looked up by the digest of the presented secret.
 */
import type { Kysely, Selectable } from 'kysely';
import type { ApiKeysTable, Database } from '../../adapters/sql/database.js';
import type { ApiKey } from './api-key.js';

export interface NewApiKey extends Omit<ApiKey, 'lastUsedAt' | 'revokedAt'> {
  secretHash: string;
}

export interface ApiKeyStore {
  create(key: NewApiKey): Promise<ApiKey>;
  findBySecretHash(secretHash: string): Promise<ApiKey | undefined>;
  findById(projectId: string, id: string): Promise<ApiKey | undefined>;
  list(projectId: string): Promise<ApiKey[]>;
  revoke(projectId: string, id: string, now: string): Promise<ApiKey | undefined>;
  touch(id: string, now: string): Promise<void>;
}

export class KyselyApiKeyStore implements ApiKeyStore {
  constructor(private readonly db: Kysely<Database>) {}

  async create(key: NewApiKey): Promise<ApiKey> {
    const row = {
      id: key.id,
      project_id: key.projectId,
      environment_id: key.environmentId,
      kind: key.kind,
      name: key.name,
      prefix: key.prefix,
      secret_hash: key.secretHash,
      created_by: key.createdBy,
      created_at: key.createdAt,
      last_used_at: null,
      revoked_at: null,
    };
    await this.db.insertInto('api_keys').values(row).execute();
    return toApiKey(row);
  }

  async findBySecretHash(secretHash: string): Promise<ApiKey | undefined> {
    const row = await this.db
      .selectFrom('api_keys')
      .selectAll()
      .where('secret_hash', '=', secretHash)
      .executeTakeFirst();
    return row && toApiKey(row);
  }

  async findById(projectId: string, id: string): Promise<ApiKey | undefined> {
    const row = await this.db
      .selectFrom('api_keys')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toApiKey(row);
  }

  async list(projectId: string): Promise<ApiKey[]> {
    const rows = await this.db
      .selectFrom('api_keys')
      .selectAll()
      .where('project_id', '=', projectId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
    return rows.map(toApiKey);
  }

  async revoke(projectId: string, id: string, now: string): Promise<ApiKey | undefined> {
    const row = await this.db
      .updateTable('api_keys')
      .set({ revoked_at: now })
      .where('project_id', '=', projectId)
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
    return row && toApiKey(row);
  }

  async touch(id: string, now: string): Promise<void> {
    await this.db.updateTable('api_keys').set({ last_used_at: now }).where('id', '=', id).execute();
  }
}

function toApiKey(row: Selectable<ApiKeysTable>): ApiKey {
  return {
    id: row.id,
    projectId: row.project_id,
    environmentId: row.environment_id,
    kind: row.kind,
    name: row.name,
    prefix: row.prefix,
    createdBy: row.created_by,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}
