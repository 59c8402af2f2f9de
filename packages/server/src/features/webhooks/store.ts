/**
 * @module features/webhooks/store
 * Webhooks: their targets, secrets and subscriptions. Deliveries are in `delivery-outbox-store.ts`.
 */
import type { Kysely, Selectable } from 'kysely';
import type { Database, WebhooksTable } from '../../adapters/sql/database.js';
import { NotFoundError, VersionConflictError } from '../../http/errors.js';
import type { Webhook } from './webhook.js';

export interface NewWebhook {
  id: string;
  projectId: string;
  url: string;
  description: string;
  secret: string;
  events: string[];
  enabled: boolean;
  now: string;
}

export interface WebhookChange {
  url?: string;
  description?: string;
  events?: string[];
  enabled?: boolean;
}

/** Where and how to deliver: what the worker needs beyond the delivery row. */
export interface WebhookTarget {
  url: string;
  secret: string;
  enabled: boolean;
}

export interface WebhookStore {
  create(webhook: NewWebhook): Promise<Webhook>;
  get(projectId: string, id: string): Promise<Webhook | undefined>;
  list(projectId: string): Promise<Webhook[]>;
  update(
    projectId: string,
    id: string,
    change: WebhookChange,
    expectedVersion: number,
    now: string,
  ): Promise<Webhook>;
  delete(projectId: string, id: string): Promise<boolean>;
  /** Replaces the signing secret; bumps the version like any other change. */
  rotateSecret(projectId: string, id: string, secret: string, now: string): Promise<Webhook | undefined>;
  secretOf(webhookId: string): Promise<string | undefined>;
  target(webhookId: string): Promise<WebhookTarget | undefined>;
  enabledFor(projectId: string): Promise<Webhook[]>;
}

export class KyselyWebhookStore implements WebhookStore {
  constructor(private readonly db: Kysely<Database>) {}

  async create(webhook: NewWebhook): Promise<Webhook> {
    const row = {
      id: webhook.id,
      project_id: webhook.projectId,
      url: webhook.url,
      description: webhook.description,
      secret: webhook.secret,
      events: JSON.stringify(webhook.events),
      enabled: webhook.enabled ? 1 : 0,
      created_at: webhook.now,
      updated_at: webhook.now,
      version: 1,
    };
    await this.db.insertInto('webhooks').values(row).execute();
    return toWebhook(row);
  }

  async get(projectId: string, id: string): Promise<Webhook | undefined> {
    const row = await this.db
      .selectFrom('webhooks')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toWebhook(row);
  }

  async list(projectId: string): Promise<Webhook[]> {
    const rows = await this.db
      .selectFrom('webhooks')
      .selectAll()
      .where('project_id', '=', projectId)
      .orderBy('id')
      .execute();
    return rows.map(toWebhook);
  }

  async update(
    projectId: string,
    id: string,
    change: WebhookChange,
    expectedVersion: number,
    now: string,
  ): Promise<Webhook> {
    const row = await this.db
      .updateTable('webhooks')
      .set({
        ...(change.url !== undefined && { url: change.url }),
        ...(change.description !== undefined && { description: change.description }),
        ...(change.events !== undefined && { events: JSON.stringify(change.events) }),
        ...(change.enabled !== undefined && { enabled: change.enabled ? 1 : 0 }),
        updated_at: now,
        version: expectedVersion + 1,
      })
      .where('project_id', '=', projectId)
      .where('id', '=', id)
      .where('version', '=', expectedVersion)
      .returningAll()
      .executeTakeFirst();
    if (row) return toWebhook(row);
    const current = await this.get(projectId, id);
    if (!current) throw new NotFoundError(`No webhook with id "${id}".`);
    throw new VersionConflictError('The webhook was changed by someone else; reload and retry.', {
      expectedVersion,
      currentVersion: current.version,
    });
  }

  async delete(projectId: string, id: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('webhooks')
      .where('project_id', '=', projectId)
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async rotateSecret(
    projectId: string,
    id: string,
    secret: string,
    now: string,
  ): Promise<Webhook | undefined> {
    const row = await this.db
      .updateTable('webhooks')
      .set((eb) => ({ secret, updated_at: now, version: eb('version', '+', 1) }))
      .where('project_id', '=', projectId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    return row && toWebhook(row);
  }

  async secretOf(webhookId: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('webhooks')
      .select('secret')
      .where('id', '=', webhookId)
      .executeTakeFirst();
    return row?.secret;
  }

  async target(webhookId: string): Promise<WebhookTarget | undefined> {
    const row = await this.db
      .selectFrom('webhooks')
      .select(['url', 'secret', 'enabled'])
      .where('id', '=', webhookId)
      .executeTakeFirst();
    return row && { url: row.url, secret: row.secret, enabled: row.enabled === 1 };
  }

  async enabledFor(projectId: string): Promise<Webhook[]> {
    const rows = await this.db
      .selectFrom('webhooks')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('enabled', '=', 1)
      .execute();
    return rows.map(toWebhook);
  }
}

function toWebhook(row: Selectable<WebhooksTable>): Webhook {
  return {
    id: row.id,
    projectId: row.project_id,
    url: row.url,
    description: row.description,
    events: JSON.parse(row.events) as string[],
    enabled: row.enabled === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  };
}
