/**
 * @module Turning SDK activity into events: de-duplicated exposures and validated tracked
 * events, queued for batched delivery.
 */
import {
  EventNameSchema,
  type ExperimentAssignment,
  type JsonValue,
  MAX_EVENT_PROPERTIES_DEPTH,
  nestsDeeperThan,
} from '@cleave/core';
import { CleaveError, describeError } from '../cleave-error.js';
import type { ResolvedEventOptions } from '../client-options.js';
import type { FetchFunction } from '../http-request.js';
import { randomUuid } from '../random-uuid.js';
import { sleep } from '../timers.js';
import { EventQueue } from './event-queue.js';
import { EventSender } from './event-sender.js';
import type { TrackEvent } from './event-types.js';
import { ExposureDedupe } from './exposure-dedupe.js';

export interface EventRecorderOptions {
  readonly apiHost: string;
  readonly sdkKey: string;
  readonly fetch: FetchFunction;
  readonly requestTimeoutMs: number;
  readonly events: ResolvedEventOptions;
  readonly onError: (error: CleaveError) => void;
}

/** A tracked event as `track` receives it, before validation. */
export interface TrackInput {
  readonly eventName: unknown;
  readonly unitId: string | undefined;
  readonly value: unknown;
  readonly properties: unknown;
}

/**
 * @example
 * const recorder = new EventRecorder({ apiHost, sdkKey, fetch, requestTimeoutMs, events, onError });
 * recorder.recordExposure(result.assignment);
 * recorder.track({ eventName: 'purchase', unitId: 'user-42', value: 42.5, properties: undefined });
 * await recorder.close();
 */
export class EventRecorder {
  readonly #options: EventRecorderOptions;
  readonly #dedupe: ExposureDedupe;
  readonly #sender: EventSender;
  readonly #queue: EventQueue;
  #closed = false;

  constructor(options: EventRecorderOptions) {
    this.#options = options;
    this.#dedupe = new ExposureDedupe(options.events.exposureCacheSize);
    this.#sender = new EventSender({
      apiHost: options.apiHost,
      sdkKey: options.sdkKey,
      fetch: options.fetch,
      timeoutMs: options.requestTimeoutMs,
      maxAttempts: options.events.maxAttempts,
      retryInitialDelayMs: options.events.retryInitialDelayMs,
      retryMaxDelayMs: options.events.retryMaxDelayMs,
      onError: options.onError,
    });
    this.#queue = new EventQueue({
      batchSize: options.events.batchSize,
      flushIntervalMs: options.events.flushIntervalMs,
      maxQueueSize: options.events.maxQueueSize,
      send: (batch) => this.#sender.send(batch),
      onError: options.onError,
    });
  }

  /** Events waiting to be sent. */
  get queued(): number {
    return this.#queue.size;
  }

  /** Queues an exposure unless this unit already saw this variation (or exposures are off). */
  recordExposure(assignment: ExperimentAssignment): void {
    if (this.#closed || !this.#options.events.exposures) return;
    if (!this.#dedupe.firstTime(assignment.unitId, assignment.experimentKey, assignment.variationKey)) return;
    this.#queue.enqueue({
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
    if (this.#closed) return new CleaveError('invalid_event', 'track called after close(): event dropped');
    const name = EventNameSchema.safeParse(input.eventName);
    if (!name.success) {
      return new CleaveError(
        'invalid_event',
        `event name ${JSON.stringify(String(input.eventName)).slice(0, 100)} is invalid: 1-200 printable characters, not starting with a space`,
      );
    }
    if (input.unitId === undefined) {
      return new CleaveError(
        'invalid_event',
        `event "${name.data}" dropped: no unit id (set targetingKey in the client or call context)`,
      );
    }
    if (input.value !== undefined && (typeof input.value !== 'number' || !Number.isFinite(input.value))) {
      return new CleaveError('invalid_event', `event "${name.data}" dropped: value must be a finite number`);
    }
    let properties: { [key: string]: JsonValue } | undefined;
    if (input.properties !== undefined) {
      const copy = jsonCopy(input.properties);
      if (copy instanceof Error || typeof copy !== 'object' || copy === null || Array.isArray(copy)) {
        return new CleaveError(
          'invalid_event',
          `event "${name.data}" dropped: properties must be a JSON object (${copy instanceof Error ? copy.message : 'not an object'})`,
        );
      }
      // The server refuses such an event; a copy nested much deeper would cost the whole batch.
      if (nestsDeeperThan(copy, MAX_EVENT_PROPERTIES_DEPTH)) {
        return new CleaveError(
          'invalid_event',
          `event "${name.data}" dropped: properties nest more than ${MAX_EVENT_PROPERTIES_DEPTH} levels of objects and arrays`,
        );
      }
      properties = copy as { [key: string]: JsonValue };
    }
    const event: TrackEvent = {
      id: randomUuid(),
      type: 'track',
      unitId: input.unitId,
      event: name.data,
      ...(input.value === undefined ? {} : { value: input.value as number }),
      ...(properties === undefined ? {} : { properties }),
      timestamp: new Date().toISOString(),
    };
    this.#queue.enqueue(event);
    return undefined;
  }

  flush(): Promise<void> {
    return this.#queue.flush();
  }

  /**
   * Stops accepting events and flushes; after `closeTimeoutMs` whatever is still undelivered
   * (waiting, in flight or in a retry wait) is dropped and reported.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const deadline = new AbortController();
    const flushed = this.#queue.flush().then(() => deadline.abort());
    await Promise.race([flushed, sleep(this.#options.events.closeTimeoutMs, deadline.signal)]);
    if (deadline.signal.aborted) return;
    // Discard first: once the sender is aborted, each waiting batch would be dropped one by one.
    const discarded = this.#queue.discard();
    this.#sender.abort();
    await flushed;
    if (discarded > 0) {
      this.#options.onError(
        new CleaveError(
          'events_send_failed',
          `${discarded} event(s) dropped: close() timed out before sending them`,
        ),
      );
    }
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
