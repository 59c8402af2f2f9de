/**
 * @module features/webhooks/delivery-worker
 * Sends queued webhook deliveries: polls the outbox every `pollIntervalMs`, and at once when a commit
 * announces new deliveries (`notifier.onWebhooksQueued`). Each attempt is one signed POST:
 *
 *   content-type: application/json
 *   user-agent: Cleave-Webhooks/<version>
 *   x-cleave-event: <event type>            x-cleave-delivery: <delivery id>
 *   x-cleave-timestamp: <unix seconds>      x-cleave-signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>
 *
 * (the scheme is explained in `signature.ts` and `docs/webhooks.md`). A 2xx answer within `timeoutMs`
 * delivers it; anything else (other status, redirect, network error, timeout) is retried with
 * exponential backoff and jitter until `maxAttempts`, then the delivery is `failed`. Every attempt's
 * status code or error is recorded on the delivery.
 *
 * Delivery is at least once: receivers de-duplicate by `x-cleave-delivery` (or the payload's `id`).
 * Several workers may share one database: before an attempt a worker claims the row with a guarded
 * update that only one of them can win, which also leases it (a crashed worker's delivery becomes due
 * again when the lease ends). Order across deliveries is not guaranteed; payloads carry `occurredAt`.
 */
import { STATUS_CODES } from 'node:http';
import type { Logger } from 'pino';
import { type Agent, fetch } from 'undici';
import type { ChangeNotifier } from '../../ports/change-notifier.js';
import { CLEAVE_VERSION } from '../../runtime/version.js';
import type { DeliveryQueue } from './outbox.js';
import {
  DELIVERY_HEADER,
  EVENT_HEADER,
  SIGNATURE_HEADER,
  signWebhookPayload,
  TIMESTAMP_HEADER,
} from './signature.js';
import type { WebhookTarget } from './store.js';
import { refusedUrl, type TargetNetworkPolicy, webhookAgent } from './target-network.js';
import { TEST_EVENT, WEBHOOK_DISABLED, type WebhookDelivery } from './webhook.js';

export interface RetryPolicy {
  /** Attempts in all, the first included; then the delivery is `failed`. */
  maxAttempts: number;
  /** Delay after the first failed attempt; it doubles after each further failure. */
  backoffBaseMs: number;
  backoffMaxMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 8,
  backoffBaseMs: 10_000,
  backoffMaxMs: 60 * 60 * 1000,
};

export interface WebhookDeliveryWorkerOptions {
  webhooks: DeliveryQueue;
  notifier: Pick<ChangeNotifier, 'onWebhooksQueued'>;
  logger?: Pick<Logger, 'debug' | 'warn' | 'error'>;
  /** Default 1 s: the fallback for retries and for deliveries queued by other processes. */
  pollIntervalMs?: number;
  /** Per attempt, until the response headers are read. Default 5 s. */
  timeoutMs?: number;
  /** Deliveries in flight at once. Default 10. */
  concurrency?: number;
  /** Which networks deliveries may reach; by default not loopback or private ones. */
  network?: TargetNetworkPolicy;
  retry?: Partial<RetryPolicy>;
  now?: () => Date;
  /** In [0, 1); jitter source. */
  random?: () => number;
}

const USER_AGENT = `Cleave-Webhooks/${CLEAVE_VERSION}`;
/** Beyond the attempt's own timeout, how long a claim keeps other workers away. */
const LEASE_MARGIN_MS = 60_000;

const silentLogger: Pick<Logger, 'debug' | 'warn' | 'error'> = {
  debug: () => {},
  warn: () => {},
  error: () => {},
};

/**
 * Delay before attempt `attempts + 1`, after `attempts` failures: base × 2^(attempts − 1), capped,
 * then "equal jitter" (a uniformly random point in the upper half), so receivers recovering from an
 * outage are not hit by every queued delivery in the same second, yet retries never come early.
 */
export function retryDelayMs(
  attempts: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number {
  const exponential = Math.min(policy.backoffMaxMs, policy.backoffBaseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(exponential / 2 + (random() * exponential) / 2);
}

interface AttemptResult {
  delivered: boolean;
  statusCode: number | null;
  error: string | null;
}

export class WebhookDeliveryWorker {
  private readonly webhooks: WebhookDeliveryWorkerOptions['webhooks'];
  private readonly notifier: WebhookDeliveryWorkerOptions['notifier'];
  private readonly logger: Pick<Logger, 'debug' | 'warn' | 'error'>;
  private readonly pollIntervalMs: number;
  private readonly timeoutMs: number;
  private readonly concurrency: number;
  private readonly retry: RetryPolicy;
  private readonly now: () => Date;
  private readonly random: () => number;
  private readonly network: TargetNetworkPolicy;
  /** Open while running; closing it ends its keep-alive connections. */
  private agent: Agent | undefined;

  private running = false;
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private polling: Promise<void> | undefined;
  private pollAgain = false;
  /** A poll stopped for lack of capacity; the next finished attempt polls again. */
  private pollWhenFree = false;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(options: WebhookDeliveryWorkerOptions) {
    this.webhooks = options.webhooks;
    this.notifier = options.notifier;
    this.logger = options.logger ?? silentLogger;
    this.pollIntervalMs = options.pollIntervalMs ?? 1_000;
    this.timeoutMs = options.timeoutMs ?? 5_000;
    this.concurrency = options.concurrency ?? 10;
    this.retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.now = options.now ?? (() => new Date());
    this.random = options.random ?? Math.random;
    this.network = options.network ?? { allowPrivateNetworks: false };
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.agent = webhookAgent(this.network);
    this.unsubscribe = this.notifier.onWebhooksQueued(() => this.wake());
    this.timer = setInterval(() => this.wake(), this.pollIntervalMs);
    // The HTTP server keeps a process alive; the poll timer alone should not.
    this.timer.unref();
    this.wake();
  }

  /** Stops polling and waits for the attempts in flight (each ends within `timeoutMs`). */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    clearInterval(this.timer);
    this.unsubscribe?.();
    await this.polling;
    await Promise.allSettled([...this.inFlight]);
    await this.agent?.close();
    this.agent = undefined;
  }

  private wake(): void {
    if (!this.running) return;
    if (this.polling) {
      this.pollAgain = true;
      return;
    }
    this.polling = this.poll()
      .catch((error: unknown) => this.logger.warn({ err: error }, 'webhook delivery poll failed'))
      .finally(() => {
        this.polling = undefined;
      });
  }

  private async poll(): Promise<void> {
    do {
      this.pollAgain = false;
      const capacity = this.concurrency - this.inFlight.size;
      if (capacity <= 0) {
        this.pollWhenFree = true;
        return;
      }
      const now = this.now();
      const due = await this.webhooks.due(now.toISOString(), capacity);
      const leaseUntil = new Date(now.getTime() + this.timeoutMs + LEASE_MARGIN_MS).toISOString();
      for (const delivery of due) {
        if (!this.running) return;
        // Another worker may have taken it since `due` read it.
        if (await this.webhooks.claim(delivery.id, now.toISOString(), leaseUntil)) this.track(delivery);
      }
      // A full page means more may be waiting.
      if (due.length === capacity) this.pollAgain = true;
    } while (this.pollAgain && this.running);
  }

  private track(delivery: WebhookDelivery): void {
    const attempt = this.attempt(delivery).catch((error: unknown) =>
      // The lease brings it back once it ends; nothing is lost.
      this.logger.error({ err: error, deliveryId: delivery.id }, 'webhook delivery could not be recorded'),
    );
    this.inFlight.add(attempt);
    void attempt.finally(() => {
      this.inFlight.delete(attempt);
      if (this.pollWhenFree) {
        this.pollWhenFree = false;
        this.wake();
      }
    });
  }

  private async attempt(delivery: WebhookDelivery): Promise<void> {
    const target = await this.webhooks.target(delivery.webhookId);
    if (!target || (!target.enabled && delivery.eventType !== TEST_EVENT)) {
      // Nothing was sent, so the attempt count stays; the reason goes in the log.
      await this.webhooks.recordAttempt(delivery.id, {
        status: 'failed',
        attempts: delivery.attempts,
        nextAttemptAt: null,
        statusCode: null,
        error: target ? WEBHOOK_DISABLED : 'The webhook was deleted.',
        now: this.now().toISOString(),
      });
      return;
    }

    const result = await this.post(target, delivery);
    const attempts = delivery.attempts + 1;
    const finished = this.now();
    const givingUp = !result.delivered && attempts >= this.retry.maxAttempts;
    const nextAttemptAt =
      result.delivered || givingUp
        ? null
        : new Date(finished.getTime() + retryDelayMs(attempts, this.retry, this.random)).toISOString();
    await this.webhooks.recordAttempt(delivery.id, {
      status: result.delivered ? 'delivered' : givingUp ? 'failed' : 'pending',
      attempts,
      nextAttemptAt,
      statusCode: result.statusCode,
      error: result.error,
      now: finished.toISOString(),
    });
    if (givingUp) {
      this.logger.warn(
        { deliveryId: delivery.id, webhookId: delivery.webhookId, attempts, error: result.error },
        'webhook delivery failed for good',
      );
    } else if (!result.delivered) {
      this.logger.debug(
        { deliveryId: delivery.id, attempts, nextAttemptAt, error: result.error },
        'webhook delivery will be retried',
      );
    }
  }

  private async post(target: WebhookTarget, delivery: WebhookDelivery): Promise<AttemptResult> {
    const body = JSON.stringify(delivery.payload);
    // Signed per attempt: a retry carries a fresh timestamp, so receivers' replay window still holds.
    const timestamp = Math.floor(this.now().getTime() / 1000);
    // A literal address never reaches the lookup hook: judge it here (saved before the policy, say).
    const refusal = refusedUrl(target.url, this.network);
    if (refusal) return { delivered: false, statusCode: null, error: `Refused: ${refusal}.` };
    // Never the default agent: only this one checks where connections go.
    const agent = this.agent;
    if (!agent) return { delivered: false, statusCode: null, error: 'The delivery worker is stopped.' };
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    try {
      const response = await fetch(target.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': USER_AGENT,
          [EVENT_HEADER]: delivery.eventType,
          [DELIVERY_HEADER]: delivery.id,
          [TIMESTAMP_HEADER]: String(timestamp),
          [SIGNATURE_HEADER]: signWebhookPayload(target.secret, timestamp, body),
        },
        body,
        // A redirect is a failure: following it would send a signed payload somewhere nobody configured.
        redirect: 'manual',
        signal: controller.signal,
        dispatcher: agent,
      });
      if (response.status >= 200 && response.status < 300) {
        await response.body?.cancel().catch(() => {});
        return { delivered: true, statusCode: response.status, error: null };
      }
      // The body is not kept: receivers echo requests, tokens and internals in error pages, and the
      // delivery log would show them; the status says what went wrong.
      await response.body?.cancel().catch(() => {});
      const reason = STATUS_CODES[response.status];
      return {
        delivered: false,
        statusCode: response.status,
        error: `HTTP ${response.status}${reason ? ` ${reason}` : ''}`,
      };
    } catch (error) {
      const message = controller.signal.aborted
        ? `Timed out after ${this.timeoutMs} ms.`
        : describeFetchError(error);
      return { delivered: false, statusCode: null, error: message };
    } finally {
      clearTimeout(timer);
    }
  }
}

/** undici's "fetch failed" hides the reason (ECONNREFUSED, ENOTFOUND, …) in `cause`. */
function describeFetchError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause;
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return `${error.message}: ${typeof code === 'string' ? `${code} ` : ''}${cause.message}`.trim();
  }
  return error.message;
}
