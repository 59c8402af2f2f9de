/**
 * @module `POST /api/v1/events`: delivering one batch, with retries.
 *
 * - 202: delivered; entries the server lists as `rejected` are reported (never retried: they
 *   would be rejected again).
 * - 413: the batch is too big: it is split in halves, each sent on its own (a single event that
 *   is still too big is dropped and reported).
 * - 429 and 503 (with `Retry-After`), other 5xx, 408 and network failures: retried after
 *   `Retry-After` when given, else a capped full-jitter backoff delay, for as long as
 *   `retryForMs` allows (minutes: an ordinary server restart must not cost events) and at most
 *   `maxAttempts` attempts; then the batch is dropped and reported. Every event keeps its id
 *   across retries, so a batch the server stored before the connection broke is de-duplicated,
 *   not doubled.
 * - `wake()` ends a backoff wait at once: the client calls it when the config stream (or a poll)
 *   reaches the server again, so delivery resumes within moments of the server coming back
 *   instead of at the end of a backoff window that grew during the outage. A wait the server
 *   asked for (`Retry-After`) is not cut short.
 * - Any other 4xx: dropped and reported (retrying cannot help).
 */

import { CleaveError } from '../cleave-error.js';
import { backoffDelay } from '../config-source/backoff.js';
import {
  type FetchFunction,
  parseRetryAfter,
  request,
  responseError,
  timeoutSignal,
} from '../http-request.js';
import { sleep } from '../timers.js';
import type { SdkEvent } from './event-types.js';

export interface EventSenderOptions {
  readonly apiHost: string;
  readonly sdkKey: string;
  readonly fetch: FetchFunction;
  readonly timeoutMs: number;
  /** Attempts per batch, the first included (`Infinity`: bounded by `retryForMs` only). */
  readonly maxAttempts: number;
  /** How long a batch keeps being retried, from its first attempt. */
  readonly retryForMs: number;
  readonly retryInitialDelayMs: number;
  readonly retryMaxDelayMs: number;
  readonly onError: (error: CleaveError) => void;
  /** A batch was accepted after at least one failed attempt: the server is back. */
  readonly onRecovered?: () => void;
}

/** How `send` ended: every event delivered or dropped (and reported), or the sender was aborted. */
export type SendResult = 'settled' | 'aborted';

const KEEPALIVE_MAX_CHARACTERS = 16 * 1024;

/** A server's Retry-After is honoured up to this long; beyond it the backoff cap applies. */
const MAX_RETRY_AFTER_MS = 5 * 60_000;

/**
 * Sends batches. `send` never throws; every event it drops is reported through `onError`.
 * `abort()` stops waiting: an in-flight request is cancelled and `send` gives the batch back
 * (`'aborted'`, close()).
 *
 * @example
 * const sender = new EventSender({ apiHost, sdkKey, fetch, timeoutMs: 10_000, maxAttempts: Infinity,
 *   retryForMs: 600_000, retryInitialDelayMs: 1_000, retryMaxDelayMs: 60_000, onError: report });
 * await sender.send(batch);
 */
export class EventSender {
  readonly #options: EventSenderOptions;
  readonly #abort = new AbortController();
  /** Ends the backoff wait in progress, if any. */
  #wake: (() => void) | undefined;
  /** The last attempt failed and will be retried. */
  #failing = false;

  constructor(options: EventSenderOptions) {
    this.#options = options;
  }

  /** A batch is waiting to be retried. */
  get failing(): boolean {
    return this.#failing;
  }

  abort(): void {
    this.#abort.abort();
  }

  /** Retries now if a batch is in a backoff wait (not in a wait the server asked for). */
  wake(): void {
    this.#wake?.();
  }

  /**
   * Delivers `events`. Resolves `'settled'` once each was delivered or dropped and reported,
   * `'aborted'` when `abort()` stopped it first (the caller decides what becomes of them).
   */
  async send(events: readonly SdkEvent[]): Promise<SendResult> {
    const options = this.#options;
    const eventIds = events.map((event) => event.id);
    const firstAttemptAt = Date.now();
    for (let attempt = 1; events.length > 0; attempt++) {
      if (this.#abort.signal.aborted) return 'aborted';
      const { signal, release } = timeoutSignal(options.timeoutMs, this.#abort.signal);
      let error: CleaveError;
      let retryAfterMs: number | undefined;
      try {
        const body = JSON.stringify({ events });
        const response = await request(
          options,
          '/events',
          { 'Content-Type': 'application/json' },
          // keepalive lets a browser finish the request after the page is hidden or unloaded
          // (flush on visibilitychange). Browsers cap keepalive bodies at 64 KiB in total, so
          // only small batches use it: 16 Ki UTF-16 units are at most 48 KiB of UTF-8.
          { method: 'POST', body, signal, keepalive: body.length <= KEEPALIVE_MAX_CHARACTERS },
          'events_send_failed',
          'events request',
        );
        const status = response.status;
        const retryable = status === 408 || status === 429 || status >= 500;
        if (!retryable && this.#failing) {
          this.#failing = false;
          if (response.ok) options.onRecovered?.();
        }
        if (response.ok) {
          this.#reportRejected(events, await response.json().catch(() => undefined));
          return 'settled';
        }
        if (status === 413) {
          if (events.length === 1) {
            options.onError(
              new CleaveError(
                'events_rejected',
                'an event was dropped: the server says it is too large (413)',
                {
                  status,
                  details: { eventIds },
                },
              ),
            );
            return 'settled';
          }
          const half = Math.ceil(events.length / 2);
          if ((await this.send(events.slice(0, half))) === 'aborted') return 'aborted';
          return this.send(events.slice(half));
        }
        error = await responseError(
          response,
          retryable ? 'events_send_failed' : 'events_rejected',
          'events request',
        );
        if (!retryable) {
          options.onError(
            new CleaveError(error.code, `${events.length} event(s) dropped: ${error.message}`, {
              status,
              details: { body: error.details, eventIds },
            }),
          );
          return 'settled';
        }
        retryAfterMs = parseRetryAfter(response.headers.get('Retry-After'));
      } catch (failed) {
        // request() throws only a CleaveError: no answer at all, retried like a 5xx.
        error = failed as CleaveError;
      } finally {
        release();
      }
      const delayMs =
        retryAfterMs !== undefined
          ? Math.min(retryAfterMs, MAX_RETRY_AFTER_MS)
          : backoffDelay(attempt - 1, {
              initialDelayMs: options.retryInitialDelayMs,
              maxDelayMs: options.retryMaxDelayMs,
            });
      const elapsedMs = Date.now() - firstAttemptAt;
      const remainingMs = options.retryForMs - elapsedMs;
      // The last backoff wait is shortened to end at the deadline (one last attempt then);
      // a Retry-After beyond it cannot be honoured, so the batch goes now.
      if (
        attempt >= options.maxAttempts ||
        remainingMs <= 0 ||
        (retryAfterMs !== undefined && delayMs > remainingMs)
      ) {
        this.#failing = false;
        options.onError(
          new CleaveError(
            'events_send_failed',
            `${events.length} event(s) dropped after ${attempt} attempt(s) in ${Math.round(elapsedMs / 1000)} s: ${error.message}`,
            { status: error.status, details: { eventIds } },
          ),
        );
        return 'settled';
      }
      this.#failing = true;
      await this.#wait(Math.min(delayMs, remainingMs), retryAfterMs === undefined);
    }
    return 'settled';
  }

  /** Sleeps before a retry; `wakeable` waits end early on `wake()`. Aborting ends any wait. */
  async #wait(delayMs: number, wakeable: boolean): Promise<void> {
    const wait = new AbortController();
    const end = () => wait.abort();
    const signal = this.#abort.signal;
    signal.addEventListener('abort', end, { once: true });
    if (wakeable) this.#wake = end;
    try {
      await sleep(delayMs, wait.signal);
    } finally {
      this.#wake = undefined;
      signal.removeEventListener('abort', end);
    }
  }

  #reportRejected(events: readonly SdkEvent[], body: unknown): void {
    const rejected = (body as { rejected?: unknown } | undefined)?.rejected;
    if (!Array.isArray(rejected) || rejected.length === 0) return;
    const entries = rejected.map((entry: unknown) => {
      const record = (entry ?? {}) as Record<string, unknown>;
      const index = typeof record.index === 'number' ? record.index : -1;
      return { index, eventId: events[index]?.id, error: record.error };
    });
    const message = (entries[0]?.error as { message?: unknown } | undefined)?.message;
    this.#options.onError(
      new CleaveError(
        'events_rejected',
        `the server rejected ${entries.length} event(s)${typeof message === 'string' ? `: ${message}` : ''}`,
        { status: 202, details: { rejected: entries } },
      ),
    );
  }
}
