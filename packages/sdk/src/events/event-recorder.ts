/**
 * @module Turning SDK activity into events: de-duplicated exposures and validated tracked
 * events, queued for batched delivery that carries them through server outages (bounded queue,
 * retries for minutes, resumed as soon as the server is reachable again), optionally mirrored
 * to browser storage.
 */
import {
  type ExperimentAssignment,
  type JsonValue,
  MAX_EVENT_PROPERTIES_DEPTH,
  nestsDeeperThan,
} from '@cleave/core/evaluation';
import { CleaveError, describeError } from '../cleave-error.js';
import type { ResolvedEventOptions } from '../client-options.js';
import type { FetchFunction } from '../http-request.js';
import { randomUuid } from '../random-uuid.js';
import { sleep } from '../timers.js';
import { isEventName } from './event-name.js';
import { EventQueue } from './event-queue.js';
import { EventSender } from './event-sender.js';
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
  readonly #persisted: PersistedEvents | undefined;
  /** Batches the sender gave back when it was aborted (close() timed out). */
  readonly #unsent: SdkEvent[] = [];
  #closed = false;

  constructor(options: EventRecorderOptions) {
    this.#options = options;
    this.#dedupe = new ExposureDedupe(options.events.exposureCacheSize);
    // The recorder's options and the event settings carry what the sender and the queue read,
    // under the same names.
    this.#sender = new EventSender({
      ...options,
      ...options.events,
      timeoutMs: options.requestTimeoutMs,
      onRecovered: () => {
        // Whatever waited behind the failing batch goes now, partial batch included.
        void this.#queue.flush();
        options.onRecovered?.();
      },
    });
    const storage = options.events.storage;
    this.#persisted =
      storage === undefined
        ? undefined
        : new PersistedEvents(storage, eventStorageKey(options.apiHost, options.sdkKey), options.onError);
    this.#queue = new EventQueue({
      ...options,
      ...options.events,
      send: (batch) => this.#send(batch),
      onDropped: (events) => this.#persisted?.remove(events),
    });
    // Events an earlier client stored and could not deliver: sent first, with their ids.
    for (const event of this.#persisted?.load() ?? []) this.#queue.enqueue(event);
  }

  /**
   * The server is reachable again (the config stream reconnected, a poll succeeded): a batch
   * waiting out a backoff is retried now, and everything queued behind it follows.
   */
  resume(): void {
    if (this.#closed || !this.#sender.failing) return;
    this.#sender.wake();
    void this.#queue.flush();
  }

  /** Queues an exposure unless this unit already saw this variation (or exposures are off). */
  recordExposure(assignment: ExperimentAssignment): void {
    if (this.#closed || !this.#options.events.exposures) return;
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
    return this.#queue.flush();
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
    const flushed = this.#queue.flush().then(() => deadline.abort());
    await Promise.race([flushed, sleep(this.#options.events.closeTimeoutMs, deadline.signal)]);
    if (deadline.signal.aborted) {
      this.#persisted?.save();
      return;
    }
    // Discard first: once the sender is aborted, each waiting batch would come back one by one.
    const undelivered = this.#queue.discard();
    this.#sender.abort();
    await flushed;
    undelivered.unshift(...this.#unsent.splice(0));
    this.#persisted?.save();
    if (undelivered.length === 0) return;
    const kept = this.#persisted !== undefined;
    this.#options.onError(
      new CleaveError(
        'events_send_failed',
        kept
          ? `${undelivered.length} event(s) not delivered before close() timed out: kept in storage for the next client`
          : `${undelivered.length} event(s) dropped: close() timed out before delivering them`,
        { details: { eventIds: undelivered.map((event) => event.id), kept } },
      ),
    );
  }
  #enqueue(event: SdkEvent): void {
    this.#persisted?.add(event);
    this.#queue.enqueue(event);
  }
  async #send(batch: readonly SdkEvent[]): Promise<void> {
    const result = await this.#sender.send(batch);
    if (result === 'aborted') this.#unsent.push(...batch);
    else this.#persisted?.remove(batch);
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
