/**
 * @module features/webhooks/service
 * Managing a project's webhooks: create (the signing secret is shown once, like an API key), list,
 * read with recent deliveries, update with optimistic concurrency, delete, rotate the secret, and
 * queue a test event. Deliveries themselves are made by `WebhookDeliveryWorker`.
 *
 * The secret never enters audit records or change payloads: they hold the `Webhook`, which has no
 * secret field, and only `create` and `rotateSecret` return one.
 */

import type { SqlExecutor, Transactor } from '../../adapters/sql/transactor.js';
import { actorOf, type Principal } from '../../domain/principal.js';
import type { Project } from '../../domain/project.js';
import { ConflictError, NotFoundError, ValidationError } from '../../http/errors.js';
import type { Change, ChangeRecorder } from '../changes/change-recorder.js';
import { type DeliveryPosition, KyselyDeliveryOutboxStore } from './delivery-outbox-store.js';
import type { WebhookOutbox } from './outbox.js';
import { newWebhookSecret } from './signature.js';
import { KyselyWebhookStore, type WebhookChange } from './store.js';
import { refusedUrl, type TargetNetworkPolicy } from './target-network.js';
import { TEST_EVENT, WEBHOOK_DISABLED, type Webhook, type WebhookDelivery } from './webhook.js';

const RECENT_DELIVERIES = 10;

export interface WebhookInput {
  url: string;
  description?: string;
  events: string[];
  enabled?: boolean;
}

export interface WebhookWithSecret extends Webhook {
  /** Shown once, at creation and rotation. */
  secret: string;
}

export interface WebhookDetail extends Webhook {
  recentDeliveries: WebhookDelivery[];
}

/** A URL whose literal address (or `localhost`) the network policy refuses: 400, not a queue of failures. */
function checkTarget(url: string, network: TargetNetworkPolicy): void {
  const refusal = refusedUrl(url, network);
  if (refusal) {
    throw new ValidationError(`Webhook URL refused: ${refusal}.`, {
      issues: [{ path: '/body/url', message: refusal }],
    });
  }
}

export class WebhookService {
  constructor(
    private readonly options: {
      transactor: Transactor;
      changes: ChangeRecorder;
      /** Told when a test delivery is queued outside a change. */
      outbox: WebhookOutbox;
      network: TargetNetworkPolicy;
    },
  ) {}

  private get network(): TargetNetworkPolicy {
    return this.options.network;
  }

  async create(
    project: Project,
    input: WebhookInput,
    principal: Principal | undefined,
    requestId: string | null,
  ): Promise<WebhookWithSecret> {
    checkTarget(input.url, this.network);
    return this.options.changes.transaction(async ({ tx, record, now, newId }) => {
      const secret = newWebhookSecret();
      const webhook = await new KyselyWebhookStore(tx).create({
        id: newId(),
        projectId: project.id,
        url: input.url,
        description: input.description ?? '',
        secret,
        events: distinct(input.events),
        enabled: input.enabled ?? true,
        now,
      });
      await record(webhookChange(project, webhook, 'webhook.created', null, webhook, principal, requestId));
      return { ...webhook, secret };
    });
  }

  list(project: Project): Promise<Webhook[]> {
    return new KyselyWebhookStore(this.options.transactor.db).list(project.id);
  }

  async get(project: Project, id: string): Promise<WebhookDetail> {
    const webhook = await this.find(this.options.transactor.db, project, id);
    const recentDeliveries = await new KyselyDeliveryOutboxStore(this.options.transactor.db).deliveries(
      webhook.id,
      RECENT_DELIVERIES,
    );
    return { ...webhook, recentDeliveries };
  }

  async update(
    project: Project,
    id: string,
    change: WebhookChange,
    expectedVersion: number,
    principal: Principal | undefined,
    requestId: string | null,
  ): Promise<Webhook> {
    if (change.url !== undefined) checkTarget(change.url, this.network);
    return this.options.changes.transaction(async ({ tx, record, now }) => {
      const before = await this.find(tx, project, id);
      const normalised =
        change.events === undefined ? change : { ...change, events: distinct(change.events) };
      const after = await new KyselyWebhookStore(tx).update(project.id, id, normalised, expectedVersion, now);
      // Disabling ends what is queued, at once (docs/webhooks.md): a retry due in an hour must not
      // sit `pending` meanwhile. Test deliveries stay; a disabled webhook still gets those.
      if (before.enabled && !after.enabled)
        await new KyselyDeliveryOutboxStore(tx).failQueued(after.id, {
          reason: WEBHOOK_DISABLED,
          keepEventType: TEST_EVENT,
          now,
        });
      await record(webhookChange(project, after, 'webhook.updated', before, after, principal, requestId));
      return after;
    });
  }

  async delete(
    project: Project,
    id: string,
    principal: Principal | undefined,
    requestId: string | null,
  ): Promise<void> {
    await this.options.changes.transaction(async ({ tx, record }) => {
      const before = await this.find(tx, project, id);
      // Its queued deliveries go with it (foreign key cascade): nobody is left to receive them.
      if (!(await new KyselyWebhookStore(tx).delete(project.id, id))) throw notFound(project, id);
      await record(webhookChange(project, before, 'webhook.deleted', before, null, principal, requestId));
    });
  }

  /**
   * A new secret, effective for every attempt from now on (including retries of older deliveries).
   * Receivers that must not drop a delivery during the switch should accept both secrets briefly.
   */
  async rotateSecret(
    project: Project,
    id: string,
    principal: Principal | undefined,
    requestId: string | null,
  ): Promise<WebhookWithSecret> {
    return this.options.changes.transaction(async ({ tx, record, now }) => {
      const before = await this.find(tx, project, id);
      const secret = newWebhookSecret();
      const after = await new KyselyWebhookStore(tx).rotateSecret(project.id, id, secret, now);
      if (!after) throw notFound(project, id);
      await record(
        webhookChange(project, after, 'webhook.secret_rotated', before, after, principal, requestId),
      );
      return { ...after, secret };
    });
  }

  /**
   * Queues a `webhook.test` delivery to this webhook only. Not a change to the project, so it is
   * neither audited nor fanned out to other subscribers (which `record` would do); the delivery
   * itself is the trace, in the webhook's delivery log.
   */
  async sendTest(project: Project, id: string, principal: Principal | undefined): Promise<WebhookDelivery> {
    const webhook = await this.find(this.options.transactor.db, project, id);
    const { clock } = this.options.changes;
    const now = clock.now().toISOString();
    const eventId = clock.newId();
    const delivery: WebhookDelivery = {
      id: clock.newId(),
      webhookId: webhook.id,
      eventId,
      eventType: TEST_EVENT,
      // The envelope every delivery has (see outbox.ts).
      payload: {
        id: eventId,
        type: TEST_EVENT,
        occurredAt: now,
        projectId: project.id,
        resource: { type: 'webhook', id: webhook.id, key: webhook.id },
        actor: actorOf(principal),
        before: null,
        after: webhook,
      },
      status: 'pending',
      attempts: 0,
      nextAttemptAt: now,
      lastStatusCode: null,
      lastError: null,
      createdAt: now,
      updatedAt: now,
    };
    await new KyselyDeliveryOutboxStore(this.options.transactor.db).enqueue({ ...delivery, now });
    this.options.outbox.afterCommit();
    return delivery;
  }

  /**
   * Sends a finished delivery (delivered or failed) again: the same delivery, due now with a fresh
   * retry budget (one delivery per event and webhook, so receivers see the same event id). Refused
   * while it is still pending, and while the webhook is disabled (the worker would fail it), except
   * for test events, which go out regardless as they do when first sent.
   */
  async redeliver(project: Project, id: string, deliveryId: string): Promise<WebhookDelivery> {
    const { db } = this.options.transactor;
    const webhook = await this.find(db, project, id);
    const outbox = new KyselyDeliveryOutboxStore(db);
    const original = await outbox.delivery(webhook.id, deliveryId);
    if (!original) throw new NotFoundError(`No delivery "${deliveryId}" for webhook "${webhook.id}".`);
    if (!webhook.enabled && original.eventType !== TEST_EVENT) {
      throw new ConflictError('The webhook is disabled; enable it to redeliver its events.', {
        reason: 'webhook_disabled',
      });
    }
    const requeued = await outbox.requeue(
      webhook.id,
      deliveryId,
      this.options.changes.clock.now().toISOString(),
    );
    if (!requeued) {
      throw new ConflictError(
        'This delivery is still being attempted; redeliver it once it has succeeded or failed.',
        { reason: 'delivery_pending' },
      );
    }
    this.options.outbox.afterCommit();
    return requeued;
  }

  /** A webhook's deliveries, newest first. */
  async deliveries(
    project: Project,
    id: string,
    page: { limit: number; after?: DeliveryPosition },
  ): Promise<WebhookDelivery[]> {
    const webhook = await this.find(this.options.transactor.db, project, id);
    return new KyselyDeliveryOutboxStore(this.options.transactor.db).deliveries(
      webhook.id,
      page.limit,
      page.after,
    );
  }

  private async find(db: SqlExecutor, project: Project, id: string): Promise<Webhook> {
    const webhook = await new KyselyWebhookStore(db).get(project.id, id);
    if (!webhook) throw notFound(project, id);
    return webhook;
  }
}

function webhookChange(
  project: Project,
  webhook: Webhook,
  action: string,
  before: Webhook | null,
  after: Webhook | null,
  principal: Principal | undefined,
  requestId: string | null,
): Change {
  return {
    projectId: project.id,
    actor: actorOf(principal),
    requestId,
    action,
    resourceType: 'webhook',
    resourceId: webhook.id,
    // Webhooks have no key; the id names them in change payloads.
    resourceKey: webhook.id,
    before,
    after,
    environments: 'none',
  };
}

function notFound(project: Project, id: string): NotFoundError {
  return new NotFoundError(`No webhook with id "${id}" in project "${project.key}".`);
}

function distinct(events: readonly string[]): string[] {
  return [...new Set(events)];
}
