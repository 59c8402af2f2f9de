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
  callApi,
  describeErrorResponse,
  describeRequestFailure,
  type FetchFunction,
  parseRetryAfter,
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

type Outcome =
  | { readonly kind: 'accepted'; readonly body: unknown }
  | { readonly kind: 'too-large' }
  | { readonly kind: 'retry'; readonly error: CleaveError; readonly retryAfterMs: number | undefined }
  | { readonly kind: 'drop'; readonly error: CleaveError };

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
    if (events.length === 0) return 'settled';
    const signal = this.#abort.signal;
    const firstAttemptAt = Date.now();
    for (let attempt = 0; ; attempt++) {
      if (signal.aborted) return 'aborted';
      const outcome = await this.#post(events);
      if (outcome.kind !== 'retry' && this.#failing) {
        this.#failing = false;
        if (outcome.kind === 'accepted') this.#options.onRecovered?.();
      }
      switch (outcome.kind) {
        case 'accepted':
          this.#reportRejected(events, outcome.body);
          return 'settled';
        case 'too-large':
          if (events.length === 1) {
            this.#options.onError(
              new CleaveError(
                'events_rejected',
                'an event was dropped: the server says it is too large (413)',
                {
                  status: 413,
                  details: { eventIds: [events[0]?.id] },
                },
              ),
            );
            return 'settled';
          }
          if ((await this.send(events.slice(0, Math.ceil(events.length / 2)))) === 'aborted')
            return 'aborted';
          return this.send(events.slice(Math.ceil(events.length / 2)));
        case 'drop':
          this.#options.onError(outcome.error);
          return 'settled';
        case 'retry': {
          const delayMs =
            outcome.retryAfterMs !== undefined
              ? Math.min(outcome.retryAfterMs, MAX_RETRY_AFTER_MS)
              : backoffDelay(attempt, {
                  initialDelayMs: this.#options.retryInitialDelayMs,
                  maxDelayMs: this.#options.retryMaxDelayMs,
                });
          const elapsedMs = Date.now() - firstAttemptAt;
          const remainingMs = this.#options.retryForMs - elapsedMs;
          // The last backoff wait is shortened to end at the deadline (one last attempt then);
          // a Retry-After beyond it cannot be honoured, so the batch goes now.
          const giveUp =
            attempt + 1 >= this.#options.maxAttempts ||
            remainingMs <= 0 ||
            (outcome.retryAfterMs !== undefined && delayMs > remainingMs);
          if (giveUp) {
            this.#failing = false;
            this.#options.onError(
              new CleaveError(
                'events_send_failed',
                `${events.length} event(s) dropped after ${attempt + 1} attempt(s) in ${Math.round(elapsedMs / 1000)} s: ${outcome.error.message}`,
                { status: outcome.error.status, details: { eventIds: events.map((event) => event.id) } },
              ),
            );
            return 'settled';
          }
          this.#failing = true;
          await this.#wait(Math.min(delayMs, remainingMs), outcome.retryAfterMs === undefined);
        }
      }
    }
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

  async #post(events: readonly SdkEvent[]): Promise<Outcome> {
    const { signal, release } = timeoutSignal(this.#options.timeoutMs, this.#abort.signal);
    try {
      let response: Response;
      try {
        const body = JSON.stringify({ events });
        response = await callApi(
          this.#options,
          '/events',
          { 'Content-Type': 'application/json' },
          {
            method: 'POST',
            body,
            signal,
            // keepalive lets a browser finish the request after the page is hidden or unloaded
            // (flush on visibilitychange). Browsers cap keepalive bodies at 64 KiB in total, so
            // only small batches use it: 16 Ki UTF-16 units are at most 48 KiB of UTF-8.
            keepalive: body.length <= KEEPALIVE_MAX_CHARACTERS,
          },
        );
      } catch (error) {
        return {
          kind: 'retry',
          error: new CleaveError(
            'events_send_failed',
            `events request failed: ${describeRequestFailure(error, signal)}`,
            {
              cause: error,
            },
          ),
          retryAfterMs: undefined,
        };
      }
      const status = response.status;
      if (response.ok) {
        let body: unknown;
        try {
          body = await response.json();
        } catch {
          body = undefined;
        }
        return { kind: 'accepted', body };
      }
      const { text, body } = await describeErrorResponse(response);
      if (status === 413) return { kind: 'too-large' };
      if (status === 408 || status === 429 || status >= 500) {
        return {
          kind: 'retry',
          error: new CleaveError('events_send_failed', `events request failed: ${text}`, {
            status,
            details: body,
          }),
          retryAfterMs: parseRetryAfter(response.headers.get('Retry-After')),
        };
      }
      const code = status === 401 || status === 403 ? 'unauthorized' : 'events_rejected';
      return {
        kind: 'drop',
        error: new CleaveError(code, `${events.length} event(s) dropped: ${text}`, {
          status,
          details: { body, eventIds: events.map((event) => event.id) },
        }),
      };
    } finally {
      release();
    }
  }

  #reportRejected(events: readonly SdkEvent[], body: unknown): void {
    const rejected =
      typeof body === 'object' && body !== null ? (body as { rejected?: unknown }).rejected : undefined;
    if (!Array.isArray(rejected) || rejected.length === 0) return;
    const entries = rejected.map((entry: unknown) => {
      const record = typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>) : {};
      const index = typeof record.index === 'number' ? record.index : -1;
      return { index, eventId: events[index]?.id, error: record.error };
    });
    const first = entries[0]?.error as { code?: unknown; message?: unknown } | undefined;
    const reason = typeof first?.message === 'string' ? `: ${first.message}` : '';
    this.#options.onError(
      new CleaveError('events_rejected', `the server rejected ${entries.length} event(s)${reason}`, {
        status: 202,
        details: { rejected: entries },
      }),
    );
  }
}
