/**
 * @module Turning SDK activity into events and delivering them: de-duplicated exposures and
 * validated tracked events, batched to `POST /api/v1/events` through server outages, optionally
 * mirrored to browser storage (event-storage.ts).
 *
 * Batching, in bounded memory:
 * - A batch goes out as soon as `batchSize` events wait, and no event waits longer than
 *   `flushIntervalMs` (the timer starts when the first event enters an empty queue, so an idle
 *   client has no timer running).
 * - One batch is in flight at a time (its retries included): a struggling server sees one
 *   request per client. While the server is away, events wait in the queue, the buffer that
 *   carries them through an outage.
 * - Memory is bounded by count (`maxQueueSize`) and by size (`maxQueueBytes`, the events' JSON
 *   length): beyond either, each new event pushes out the oldest. The drops of one synchronous
 *   burst are reported once, as one `events_dropped` error with their count.
 *
 * Delivering one batch:
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
 * - `resume()` ends a backoff wait at once: the client calls it when the config stream (or a
 *   poll) reaches the server again, so delivery resumes within moments of the server coming back
 *   instead of at the end of a backoff window that grew during the outage. A wait the server
 *   asked for (`Retry-After`) is not cut short.
 * - Any other 4xx: dropped and reported (retrying cannot help).
 */
import {
  type ExperimentAssignment,
  type JsonValue,
  MAX_EVENT_PROPERTIES_DEPTH,
  nestsDeeperThan,
} from '@cleave/core/evaluation';
import { CleaveError, describeError } from '../cleave-error.js';
import type { ResolvedEventOptions } from '../client-options.js';
import { backoffDelay } from '../config-source/backoff.js';
import {
  type FetchFunction,
  parseRetryAfter,
  request,
  responseError,
  timeoutSignal,
} from '../http-request.js';
import { randomUuid } from '../random-uuid.js';
import { sleep, startTimer, type Timer } from '../timers.js';
import { isEventName } from './event-name.js';
import { eventStorageKey, PersistedEvents } from './event-storage.js';
import type { SdkEvent, TrackEvent } from './event-types.js';
import { ExposureDedupe } from './exposure-dedupe.js';

export interface EventRecorderOptions {
  readonly apiHost: string;
  readonly sdkKey: string;
  readonly fetch: FetchFunction;
  readonly requestTimeoutMs: number;
  readonly events: ResolvedEventOptions;
  readonly onError: (error: CleaveError) => void;
  /** Events were delivered after failed attempts: the server is reachable again. */
  readonly onRecovered?: () => void;
}

/** A tracked event as `track` receives it, before validation. */
export interface TrackInput {
  readonly eventName: unknown;
  readonly unitId: string | undefined;
  readonly value: unknown;
  readonly properties: unknown;
}

const KEEPALIVE_MAX_CHARACTERS = 16 * 1024;

/** A server's Retry-After is honoured up to this long; beyond it the backoff cap applies. */
const MAX_RETRY_AFTER_MS = 5 * 60_000;

/**
 * @example
 * const recorder = new EventRecorder({ apiHost, sdkKey, fetch, requestTimeoutMs, events, onError });
 * recorder.recordExposure(result.assignment);
 * recorder.track({ eventName: 'purchase', unitId: 'user-42', value: 42.5, properties: undefined });
 * await recorder.close();
 */
export class EventRecorder {
  readonly #options: EventRecorderOptions;
  readonly #events: ResolvedEventOptions;
  readonly #dedupe: ExposureDedupe;
  readonly #persisted: PersistedEvents | undefined;
  /** The waiting events, oldest first, and their JSON lengths. */
  #waiting: SdkEvent[] = [];
  #sizes: number[] = [];
  #bytes = 0;
  #timer: Timer | undefined;
  #draining: Promise<void> | undefined;
  /** A flush asked for everything to go, partial batch included. */
  #drainAll = false;
  /** Events dropped by the bounds since the last report. */
  #dropped = 0;
  /** Aborted when close() times out: the request in flight and any retry wait end. */
  readonly #abort = new AbortController();
  /** Ends the backoff wait in progress, if any. */
  #wake: (() => void) | undefined;
  /** The last attempt failed and will be retried. */
  #failing = false;
  /** Batches given back when the sending was aborted (close() timed out). */
  readonly #unsent: SdkEvent[] = [];
  #closed = false;

  constructor(options: EventRecorderOptions) {
    this.#options = options;
    const events = options.events;
    this.#events = events;
    this.#dedupe = new ExposureDedupe(events.exposureCacheSize);
    this.#persisted =
      events.storage &&
      new PersistedEvents(events.storage, eventStorageKey(options.apiHost, options.sdkKey), options.onError);
    // Events an earlier client stored and could not deliver: sent first, with their ids.
    for (const event of this.#persisted?.load() ?? []) this.#queue(event);
  }

  /**
   * The server is reachable again (the config stream reconnected, a poll succeeded): a batch
   * waiting out a backoff is retried now, and everything queued behind it follows.
   */
  resume(): void {
    if (this.#closed || !this.#failing) return;
    this.#wake?.();
    void this.#flushQueue();
  }

  /** Queues an exposure unless this unit already saw this variation (or exposures are off). */
  recordExposure(assignment: ExperimentAssignment): void {
    if (this.#closed || !this.#events.exposures) return;
    if (!this.#dedupe.firstTime(assignment.unitId, assignment.experimentKey, assignment.variationKey)) return;
    this.#enqueue({
      id: randomUuid(),
      type: 'exposure',
      unitId: assignment.unitId,
      experiment: assignment.experimentKey,
      variant: assignment.variationKey,
      timestamp: new Date().toISOString(),
    });
  }

  /** Validates and queues a tracked event; returns the problem instead of queuing a bad one. */
  track(input: TrackInput): CleaveError | undefined {
    const { eventName: name, unitId, value } = input;
    // Copied, so that later mutations by the caller don't change a queued event.
    const properties = input.properties === undefined ? undefined : jsonCopy(input.properties);
    const problem = this.#closed
      ? 'track called after close()'
      : !isEventName(name)
        ? 'the name must be 1-200 printable characters, not starting with a space'
        : unitId === undefined
          ? 'no unit id (set targetingKey in the client or call context)'
          : value !== undefined && !Number.isFinite(value)
            ? 'value must be a finite number'
            : properties === undefined
              ? undefined
              : properties instanceof Error ||
                  typeof properties !== 'object' ||
                  properties === null ||
                  Array.isArray(properties)
                ? `properties must be a JSON object (${properties instanceof Error ? properties.message : 'not an object'})`
                : // The server refuses such an event; a copy nested much deeper would cost the whole batch.
                  nestsDeeperThan(properties, MAX_EVENT_PROPERTIES_DEPTH)
                  ? `properties nest more than ${MAX_EVENT_PROPERTIES_DEPTH} levels of objects and arrays`
                  : undefined;
    if (problem !== undefined || unitId === undefined) {
      return new CleaveError(
        'invalid_event',
        `event ${JSON.stringify(String(name)).slice(0, 100)} dropped: ${problem}`,
      );
    }
    const event: TrackEvent = {
      id: randomUuid(),
      type: 'track',
      unitId,
      event: name as string,
      ...(value === undefined ? {} : { value: value as number }),
      ...(properties === undefined ? {} : { properties: properties as { [key: string]: JsonValue } }),
      timestamp: new Date().toISOString(),
    };
    this.#enqueue(event);
    return undefined;
  }

  /** Sends every waiting event (storing the undelivered ones first: the page may be going away). */
  flush(): Promise<void> {
    this.#persisted?.save();
    return this.#flushQueue();
  }

  /**
   * Stops accepting events and flushes; after `closeTimeoutMs` whatever is still undelivered
   * (waiting, in flight or in a retry wait) is reported, and dropped unless `events.storage`
   * keeps it for the next client.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const deadline = new AbortController();
    const flushed = this.#flushQueue().then(() => deadline.abort());
    await Promise.race([flushed, sleep(this.#events.closeTimeoutMs, deadline.signal)]);
    let undelivered: SdkEvent[] = [];
    if (!deadline.signal.aborted) {
      // Discard first: once sending is aborted, each waiting batch would come back one by one.
      this.#timer?.cancel();
      this.#timer = undefined;
      undelivered = this.#waiting;
      this.#waiting = [];
      this.#sizes = [];
      this.#bytes = 0;
      this.#abort.abort();
      await flushed;
      undelivered.unshift(...this.#unsent);
    }
    this.#persisted?.save();
    if (undelivered.length === 0) return;
    const kept = this.#persisted !== undefined;
    this.#options.onError(
      new CleaveError(
        'events_send_failed',
        `${undelivered.length} event(s) ${kept ? 'kept in storage for the next client' : 'dropped'}: close() timed out`,
        { details: { eventIds: undelivered.map((event) => event.id), kept } },
      ),
    );
  }

  #enqueue(event: SdkEvent): void {
    this.#persisted?.add(event);
    this.#queue(event);
  }

  /** Queues an event, dropping the oldest beyond the bounds; a full batch goes at once. */
  #queue(event: SdkEvent): void {
    const bytes = JSON.stringify(event).length;
    const dropped: SdkEvent[] = [];
    const { batchSize, maxQueueSize, maxQueueBytes } = this.#events;
    while (
      this.#waiting.length > 0 &&
      (this.#waiting.length >= maxQueueSize || this.#bytes + bytes > maxQueueBytes)
    ) {
      this.#bytes -= this.#sizes.shift() as number;
      dropped.push(this.#waiting.shift() as SdkEvent);
    }
    if (dropped.length > 0) {
      if (this.#dropped === 0) {
        queueMicrotask(() => {
          const count = this.#dropped;
          this.#dropped = 0;
          this.#options.onError(
            new CleaveError(
              'events_dropped',
              `${count} oldest event(s) dropped: queue full (${maxQueueSize} events or ${maxQueueBytes} characters)`,
              { details: { dropped: count } },
            ),
          );
        });
      }
      this.#dropped += dropped.length;
      this.#persisted?.remove(dropped);
    }
    this.#waiting.push(event);
    this.#sizes.push(bytes);
    this.#bytes += bytes;
    if (this.#waiting.length >= batchSize) void this.#drain(false);
    else this.#timer ??= this.#startTimer();
  }

  /** Sends every waiting event; resolves once each was delivered or dropped (and reported). */
  async #flushQueue(): Promise<void> {
    this.#timer?.cancel();
    this.#timer = undefined;
    // The loop covers events enqueued while the previous drain was finishing.
    do {
      await this.#drain(true);
    } while (this.#waiting.length > 0);
  }

  #startTimer(): Timer {
    return startTimer(() => {
      this.#timer = undefined;
      void this.#drain(true);
    }, this.#events.flushIntervalMs);
  }

  #drain(all: boolean): Promise<void> {
    if (all) this.#drainAll = true;
    this.#draining ??= this.#runDrain().finally(() => {
      this.#draining = undefined;
      // A full batch may have formed between the loop's last check and this point.
      if (this.#waiting.length >= this.#events.batchSize) void this.#drain(false);
    });
    return this.#draining;
  }

  async #runDrain(): Promise<void> {
    const batchSize = this.#events.batchSize;
    while (this.#drainAll ? this.#waiting.length > 0 : this.#waiting.length >= batchSize) {
      const batch = this.#waiting.splice(0, batchSize);
      for (const bytes of this.#sizes.splice(0, batchSize)) this.#bytes -= bytes;
      if ((await this.#send(batch)) === 'aborted') this.#unsent.push(...batch);
      else this.#persisted?.remove(batch);
    }
    this.#drainAll = false;
    if (this.#waiting.length > 0) this.#timer ??= this.#startTimer();
  }

  /**
   * Delivers `events`. Resolves `'settled'` once each was delivered or dropped and reported,
   * `'aborted'` when close() stopped it first.
   */
  async #send(events: readonly SdkEvent[]): Promise<'settled' | 'aborted'> {
    const options = this.#options;
    const settings = this.#events;
    const eventIds = events.map((event) => event.id);
    const firstAttemptAt = Date.now();
    for (let attempt = 1; events.length > 0; attempt++) {
      if (this.#abort.signal.aborted) return 'aborted';
      const { signal, release } = timeoutSignal(options.requestTimeoutMs, this.#abort.signal);
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
          if (response.ok) {
            // The server is back: whatever waited behind the failing batch goes now, partial
            // batch included.
            void this.#flushQueue();
            options.onRecovered?.();
          }
        }
        if (response.ok) {
          this.#reportRejected(events, await response.json().catch(() => undefined));
          return 'settled';
        }
        if (status === 413) {
          if (events.length === 1) {
            options.onError(
              new CleaveError('events_rejected', '1 event(s) dropped: too large for the server (413)', {
                status,
                details: { eventIds },
              }),
            );
            return 'settled';
          }
          const half = Math.ceil(events.length / 2);
          if ((await this.#send(events.slice(0, half))) === 'aborted') return 'aborted';
          return this.#send(events.slice(half));
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
              initialDelayMs: settings.retryInitialDelayMs,
              maxDelayMs: settings.retryMaxDelayMs,
            });
      const elapsedMs = Date.now() - firstAttemptAt;
      const remainingMs = settings.retryForMs - elapsedMs;
      // The last backoff wait is shortened to end at the deadline (one last attempt then);
      // a Retry-After beyond it cannot be honoured, so the batch goes now.
      if (
        attempt >= settings.maxAttempts ||
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
      // A wait the server asked for is not cut short by resume(); close() ends any wait.
      const wait = new AbortController();
      const end = () => wait.abort();
      this.#abort.signal.addEventListener('abort', end, { once: true });
      if (retryAfterMs === undefined) this.#wake = end;
      await sleep(Math.min(delayMs, remainingMs), wait.signal);
      this.#wake = undefined;
      this.#abort.signal.removeEventListener('abort', end);
    }
    return 'settled';
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
        `${entries.length} event(s) dropped: rejected by the server${typeof message === 'string' ? ` (${message})` : ''}`,
        { status: 202, details: { rejected: entries } },
      ),
    );
  }
}

/** A JSON-safe deep copy (so later mutations by the caller don't change a queued event), or the error. */
function jsonCopy(value: unknown): unknown {
  try {
    const text = JSON.stringify(value);
    return text === undefined ? undefined : JSON.parse(text);
  } catch (error) {
    return new Error(describeError(error));
  }
}
