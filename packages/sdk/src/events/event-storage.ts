/**
 * @module Keeping undelivered events in browser storage (`localStorage` or anything with the
 * same `getItem`/`setItem`), so that events waiting out an outage survive a page reload or a
 * closed tab and are sent by the next client that starts with the same storage.
 *
 * The stored value is the JSON array of every event not yet delivered nor dropped (waiting and
 * in flight). Writes are coalesced (one per `SAVE_DELAY_MS`), and made at once when the page is
 * hidden or the client closes. An event sent just before the page died may be stored still and
 * sent again by the next client: it keeps its id, so the server counts it once.
 */
import { type CleaveError, failure } from '../cleave-error.js';
import { startTimer, type Timer } from '../timers.js';
import type { SdkEvent } from './event-types.js';

/** The part of the Web Storage API the SDK uses: `window.localStorage` fits. */
export interface EventStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** Writes are coalesced: a burst of `track` calls costs one write. */
export const SAVE_DELAY_MS = 250;

/** The storage key of a client: one per server and SDK key, so two environments never mix. */
export function eventStorageKey(apiHost: string, sdkKey: string): string {
  return `cleave:events:${apiHost.replace(/\/+$/, '')}:${sdkKey}`;
}

/**
 * The undelivered events, mirrored to storage.
 *
 * @example
 * const persisted = new PersistedEvents(localStorage, eventStorageKey(apiHost, sdkKey), report);
 * for (const event of persisted.load()) queue.enqueue(event);
 * persisted.add(event); // queued
 * persisted.remove(batch); // delivered or dropped
 */
export class PersistedEvents {
  readonly #storage: EventStorage;
  readonly #key: string;
  readonly #onError: (error: CleaveError) => void;
  readonly #events = new Map<string, SdkEvent>();
  #timer: Timer | undefined;
  #failed = false;

  constructor(storage: EventStorage, key: string, onError: (error: CleaveError) => void) {
    this.#storage = storage;
    this.#key = key;
    this.#onError = onError;
  }

  /** Events stored by an earlier client, each id once, oldest first; unreadable entries skipped. */
  load(): SdkEvent[] {
    let stored: unknown;
    try {
      const text = this.#storage.getItem(this.#key);
      stored = text === null ? [] : JSON.parse(text);
    } catch (error) {
      this.#report('reading stored events', error);
      return [];
    }
    if (!Array.isArray(stored)) return [];
    for (const entry of stored) {
      if (isSdkEvent(entry) && !this.#events.has(entry.id)) this.#events.set(entry.id, entry);
    }
    return [...this.#events.values()];
  }

  add(event: SdkEvent): void {
    this.#events.set(event.id, event);
    this.#scheduleSave();
  }

  remove(events: readonly SdkEvent[]): void {
    if (events.length === 0) return;
    for (const event of events) this.#events.delete(event.id);
    this.#scheduleSave();
  }

  /** Writes the undelivered events now (page hidden, client closing). */
  save(): void {
    this.#timer?.cancel();
    this.#timer = undefined;
    try {
      this.#storage.setItem(this.#key, JSON.stringify([...this.#events.values()]));
      this.#failed = false;
    } catch (error) {
      // Quota exceeded or storage disabled: the events are still in memory and still sent.
      this.#report('storing events', error);
    }
  }

  #scheduleSave(): void {
    this.#timer ??= startTimer(() => this.save(), SAVE_DELAY_MS);
  }

  /** One report per run of failures, not one per write. The events stay in memory meanwhile. */
  #report(what: string, error: unknown): void {
    if (this.#failed) return;
    this.#failed = true;
    this.#onError(failure('events_storage_failed', what, error));
  }
}

/** The shape of an event this SDK stored (anything else in storage is not ours to send). */
function isSdkEvent(value: unknown): value is SdkEvent {
  if (typeof value !== 'object' || value === null) return false;
  const event = value as Record<string, unknown>;
  if (typeof event.id !== 'string' || typeof event.unitId !== 'string') return false;
  if (typeof event.timestamp !== 'string') return false;
  if (event.type === 'track') return typeof event.event === 'string';
  return (
    event.type === 'exposure' && typeof event.experiment === 'string' && typeof event.variant === 'string'
  );
}
