/**
 * @module features/webhooks/outbox
 * The webhooks' part of every change: inside the change's transaction, one delivery per enabled
 * webhook that subscribes to the change's event type; after the commit, the delivery workers are
 * woken (on every node, through the notifier).
 */
import type { SqlExecutor } from '../../adapters/sql/transactor.js';
import type { ChangeNotifier } from '../../ports/change-notifier.js';
import type { Change, ChangeSubscriber } from '../changes/change-recorder.js';
import { KyselyDeliveryOutboxStore } from './delivery-outbox-store.js';
import { KyselyWebhookStore, type WebhookTarget } from './store.js';
import { subscribes } from './webhook.js';

export class WebhookOutbox implements ChangeSubscriber {
  constructor(private readonly notifier: ChangeNotifier) {}

  async onChange(
    tx: SqlExecutor,
    change: Change,
    context: { eventId: string; now: string; newId(): string },
  ): Promise<boolean> {
    const webhooks = (await new KyselyWebhookStore(tx).enabledFor(change.projectId)).filter((webhook) =>
      subscribes(webhook.events, change.action),
    );
    const payload = {
      id: context.eventId,
      type: change.action,
      occurredAt: context.now,
      projectId: change.projectId,
      resource: { type: change.resourceType, id: change.resourceId, key: change.resourceKey },
      actor: change.actor,
      before: change.before ?? null,
      after: change.after ?? null,
    };
    const outbox = new KyselyDeliveryOutboxStore(tx);
    for (const webhook of webhooks) {
      await outbox.enqueue({
        id: context.newId(),
        webhookId: webhook.id,
        eventId: context.eventId,
        eventType: change.action,
        payload,
        now: context.now,
      });
    }
    return webhooks.length > 0;
  }

  afterCommit(): void {
    this.notifier.webhooksQueued();
  }
}

/** What the delivery worker needs: due deliveries, their targets, and where to write outcomes. */
export type DeliveryQueue = Pick<KyselyDeliveryOutboxStore, 'due' | 'claim' | 'recordAttempt'> & {
  target(webhookId: string): Promise<WebhookTarget | undefined>;
};

export function deliveryQueueOn(db: SqlExecutor): DeliveryQueue {
  const outbox = new KyselyDeliveryOutboxStore(db);
  const webhooks = new KyselyWebhookStore(db);
  return {
    due: (now, limit) => outbox.due(now, limit),
    claim: (id, now, leaseUntil) => outbox.claim(id, now, leaseUntil),
    recordAttempt: (id, outcome) => outbox.recordAttempt(id, outcome),
    target: (webhookId) => webhooks.target(webhookId),
  };
}
