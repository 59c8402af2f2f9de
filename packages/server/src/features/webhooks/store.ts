/**
 * @module features/webhooks/store
 * Webhooks and the delivery outbox. Deliveries are written in the transaction of the change that
 * caused them, so a committed change always gets its deliveries and a rolled-back one never does.
 */
import type { Kysely, Selectable } from 'kysely';
import type { Database, WebhookDeliveriesTable, WebhooksTable } from '../../adapters/sql/database.js';
import { NotFoundError, VersionConflictError } from '../../http/errors.js';
import type { Webhook, WebhookDelivery } from './webhook.js';

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

/** A page position in a webhook's deliveries, newest first. */
export interface DeliveryPosition {
  createdAt: string;
  id: string;
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
  enqueue(delivery: {
    id: string;
    webhookId: string;
    eventId: string;
    eventType: string;
    payload: unknown;
    now: string;
  }): Promise<void>;
  /** Pending deliveries due at `now`, oldest first. */
  due(now: string, limit: number): Promise<WebhookDelivery[]>;
  /**
   * Takes a due delivery for one attempt by moving its `next_attempt_at` to `leaseUntil`, guarded by
   * `status = 'pending' and next_attempt_at <= now`: of several workers that saw the same row due,
   * exactly one gets `true`. If that worker dies mid-attempt, the row is due again once the lease ends.
   */
  claim(id: string, now: string, leaseUntil: string): Promise<boolean>;
  recordAttempt(
    id: string,
    outcome: {
      status: 'pending' | 'delivered' | 'failed';
      attempts: number;
      nextAttemptAt: string | null;
      statusCode: number | null;
      error: string | null;
      now: string;
    },
  ): Promise<void>;
  /** Newest first; `after` continues from the last delivery of the previous page. */
  deliveries(webhookId: string, limit: number, after?: DeliveryPosition): Promise<WebhookDelivery[]>;
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

  async enqueue(delivery: {
    id: string;
    webhookId: string;
    eventId: string;
    eventType: string;
    payload: unknown;
    now: string;
  }): Promise<void> {
    await this.db
      .insertInto('webhook_deliveries')
      .values({
        id: delivery.id,
        webhook_id: delivery.webhookId,
        event_id: delivery.eventId,
        event_type: delivery.eventType,
        payload: JSON.stringify(delivery.payload),
        status: 'pending',
        attempts: 0,
        next_attempt_at: delivery.now,
        last_status_code: null,
        last_error: null,
        created_at: delivery.now,
        updated_at: delivery.now,
      })
      .execute();
  }

  async due(now: string, limit: number): Promise<WebhookDelivery[]> {
    const rows = await this.db
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', now)
      .orderBy('next_attempt_at')
      .limit(limit)
      .execute();
    return rows.map(toDelivery);
  }

  async claim(id: string, now: string, leaseUntil: string): Promise<boolean> {
    const result = await this.db
      .updateTable('webhook_deliveries')
      .set({ next_attempt_at: leaseUntil, updated_at: now })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', now)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async recordAttempt(
    id: string,
    outcome: {
      status: 'pending' | 'delivered' | 'failed';
      attempts: number;
      nextAttemptAt: string | null;
      statusCode: number | null;
      error: string | null;
      now: string;
    },
  ): Promise<void> {
    await this.db
      .updateTable('webhook_deliveries')
      .set({
        status: outcome.status,
        attempts: outcome.attempts,
        next_attempt_at: outcome.nextAttemptAt,
        last_status_code: outcome.statusCode,
        last_error: outcome.error,
        updated_at: outcome.now,
      })
      .where('id', '=', id)
      .execute();
  }

  async deliveries(webhookId: string, limit: number, after?: DeliveryPosition): Promise<WebhookDelivery[]> {
    const rows = await this.db
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('webhook_id', '=', webhookId)
      .$if(after !== undefined, (query) =>
        query.where((eb) => {
          const position = after as DeliveryPosition;
          return eb.or([
            eb('created_at', '<', position.createdAt),
            eb.and([eb('created_at', '=', position.createdAt), eb('id', '<', position.id)]),
          ]);
        }),
      )
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map(toDelivery);
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

function toDelivery(row: Selectable<WebhookDeliveriesTable>): WebhookDelivery {
  return {
    id: row.id,
    webhookId: row.webhook_id,
    eventId: row.event_id,
    eventType: row.event_type,
    payload: JSON.parse(row.payload),
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastStatusCode: row.last_status_code,
    lastError: row.last_error,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
