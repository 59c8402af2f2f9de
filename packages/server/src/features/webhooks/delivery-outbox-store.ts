/**
 * @module features/webhooks/delivery-outbox-store
 * The delivery outbox. Deliveries are written in the transaction of the change that caused them,
 * so a committed change always gets its deliveries and a rolled-back one never does; workers claim
 * due ones with a lease, so several workers never send the same delivery at once.
 */
import type { Kysely, Selectable } from 'kysely';
import type { Database, WebhookDeliveriesTable } from '../../adapters/sql/database.js';
import type { WebhookDelivery } from './webhook.js';

/** A page position in a webhook's deliveries, newest first. */
export interface DeliveryPosition {
  createdAt: string;
  id: string;
}

export interface DeliveryOutboxStore {
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
  /**
   * Marks the webhook's queued deliveries `failed` with `reason`, except those of `keepEventType`;
   * returns how many. A retry waiting up to an hour must not look alive once its webhook can no
   * longer get it.
   */
  failQueued(
    webhookId: string,
    outcome: { reason: string; keepEventType: string; now: string },
  ): Promise<number>;
  /** Newest first; `after` continues from the last delivery of the previous page. */
  deliveries(webhookId: string, limit: number, after?: DeliveryPosition): Promise<WebhookDelivery[]>;
  /** One delivery of the webhook, or undefined. */
  delivery(webhookId: string, id: string): Promise<WebhookDelivery | undefined>;
  /**
   * Makes a finished (delivered or failed) delivery due again with a fresh retry budget; the last
   * outcome stays visible until the next attempt replaces it. Undefined when it is not finished
   * (guarded in the update, so two requests cannot both requeue it).
   */
  requeue(webhookId: string, id: string, now: string): Promise<WebhookDelivery | undefined>;
}

export class KyselyDeliveryOutboxStore implements DeliveryOutboxStore {
  constructor(private readonly db: Kysely<Database>) {}

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
    // A failed attempt whose delivery was failed meanwhile (its webhook disabled while the request
    // was in flight) stays failed: scheduling a retry would bring it back to life. The attempt is
    // recorded all the same, with the reason it stopped kept.
    const retry = outcome.status === 'pending';
    const result = await this.db
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
      .$if(retry, (query) => query.where('status', '<>', 'failed'))
      .executeTakeFirst();
    if (retry && Number(result.numUpdatedRows) === 0) {
      await this.db
        .updateTable('webhook_deliveries')
        .set({ attempts: outcome.attempts, last_status_code: outcome.statusCode, updated_at: outcome.now })
        .where('id', '=', id)
        .execute();
    }
  }

  async failQueued(
    webhookId: string,
    outcome: { reason: string; keepEventType: string; now: string },
  ): Promise<number> {
    const result = await this.db
      .updateTable('webhook_deliveries')
      .set({ status: 'failed', next_attempt_at: null, last_error: outcome.reason, updated_at: outcome.now })
      .where('webhook_id', '=', webhookId)
      .where('status', '=', 'pending')
      .where('event_type', '<>', outcome.keepEventType)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
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

  async delivery(webhookId: string, id: string): Promise<WebhookDelivery | undefined> {
    const row = await this.db
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('webhook_id', '=', webhookId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toDelivery(row);
  }

  async requeue(webhookId: string, id: string, now: string): Promise<WebhookDelivery | undefined> {
    const result = await this.db
      .updateTable('webhook_deliveries')
      .set({ status: 'pending', attempts: 0, next_attempt_at: now, updated_at: now })
      .where('webhook_id', '=', webhookId)
      .where('id', '=', id)
      .where('status', '!=', 'pending')
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) return undefined;
    return this.delivery(webhookId, id);
  }
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
