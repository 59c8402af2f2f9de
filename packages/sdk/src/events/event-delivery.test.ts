import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CleaveError } from '../cleave-error.js';
import { type EventOptions, resolveOptions } from '../client-options.js';
import { EventRecorder } from './event-recorder.js';
import { type EventStorage, eventStorageKey, SAVE_DELAY_MS } from './event-storage.js';
import type { SdkEvent, TrackEvent } from './event-types.js';

const API_HOST = 'http://cleave.test';
const SDK_KEY = 'sdk-key';

/**
 * A scripted events endpoint: down (the connection is refused), up (202), or the responses
 * queued in `next`. Every attempt is recorded with the ids it carried.
 */
class FakeEventsServer {
  up = true;
  readonly next: { status: number; retryAfter?: string }[] = [];
  readonly attempts: string[][] = [];
  readonly delivered: SdkEvent[] = [];

  readonly fetch = async (_url: string, init?: RequestInit): Promise<Response> => {
    const { events } = JSON.parse(String(init?.body)) as { events: SdkEvent[] };
    this.attempts.push(events.map((event) => event.id));
    if (!this.up) throw new TypeError('fetch failed: connect ECONNREFUSED');
    const forced = this.next.shift();
    if (forced !== undefined) {
      const headers = forced.retryAfter === undefined ? undefined : { 'Retry-After': forced.retryAfter };
      return new Response(null, { status: forced.status, headers });
    }
    this.delivered.push(...events);
    return Response.json({ accepted: events.length, rejected: [] }, { status: 202 });
  };

  deliveredIds(): string[] {
    return this.delivered.map((event) => event.id);
  }
}

class MemoryStorage implements EventStorage {
  readonly items = new Map<string, string>();
  failing = false;
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    if (this.failing) throw new Error('QuotaExceededError');
    this.items.set(key, value);
  }
}

let server: FakeEventsServer;
let errors: CleaveError[];
const recorders: EventRecorder[] = [];

function recorder(events: EventOptions = {}, onRecovered?: () => void): EventRecorder {
  const options = resolveOptions({ sdkKey: SDK_KEY, apiHost: API_HOST, fetch: server.fetch, events });
  const created = new EventRecorder({
    apiHost: API_HOST,
    sdkKey: SDK_KEY,
    fetch: server.fetch,
    requestTimeoutMs: 1_000,
    events: options.events,
    onError: (error) => errors.push(error),
    onRecovered,
  });
  recorders.push(created);
  return created;
}

function track(target: EventRecorder, count: number, from = 0): void {
  for (let i = from; i < from + count; i++) {
    const error = target.track({ eventName: `event-${i}`, unitId: `u${i}`, value: i, properties: undefined });
    expect(error).toBeUndefined();
  }
}

beforeEach(() => {
  vi.useFakeTimers();
  server = new FakeEventsServer();
  errors = [];
});

afterEach(async () => {
  const closing = Promise.all(recorders.splice(0).map((created) => created.close()));
  await vi.runAllTimersAsync();
  await closing;
  vi.useRealTimers();
});

describe('event delivery through an outage', () => {
  it('keeps undelivered events for minutes and delivers each exactly once when the server is back', async () => {
    const client = recorder({ batchSize: 100, flushIntervalMs: 1_000 });
    server.up = false;
    track(client, 250);
    await vi.advanceTimersByTimeAsync(3 * 60_000);
    expect(errors).toEqual([]);
    // One batch in flight at a time, retried with the same ids every time.
    const firstBatch = server.attempts[0] ?? [];
    expect(firstBatch).toHaveLength(100);
    expect(server.attempts.length).toBeGreaterThan(3);
    for (const attempt of server.attempts) expect(attempt).toEqual(firstBatch);

    server.up = true;
    await vi.advanceTimersByTimeAsync(61_000); // at most one capped backoff wait
    expect(errors).toEqual([]);
    const ids = server.deliveredIds();
    expect(ids).toHaveLength(250);
    expect(new Set(ids).size).toBe(250);
    expect((server.delivered as TrackEvent[]).map((event) => event.event)).toEqual(
      Array.from({ length: 250 }, (_, i) => `event-${i}`),
    );
  });

  it('resume() retries a batch in a backoff wait at once, and sends everything queued behind it', async () => {
    const recovered = vi.fn();
    const client = recorder({ batchSize: 10, flushIntervalMs: 1_000 }, recovered);
    server.up = false;
    track(client, 25);
    await vi.advanceTimersByTimeAsync(5 * 60_000); // the backoff window has grown to its 60 s cap
    const attemptsBefore = server.attempts.length;
    server.up = true;
    client.resume();
    await vi.advanceTimersByTimeAsync(0);
    expect(server.attempts.length).toBeGreaterThan(attemptsBefore);
    expect(server.deliveredIds()).toHaveLength(25);
    expect(recovered).toHaveBeenCalledTimes(1);
    expect(errors).toEqual([]);
  });

  it('gives a batch up after retryForMs and reports its event ids', async () => {
    const client = recorder({ retryForMs: 30_000, flushIntervalMs: 1_000 });
    server.up = false;
    track(client, 3);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(errors).toEqual([]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(errors).toEqual([expect.objectContaining({ code: 'events_send_failed' })]);
    expect(errors[0]?.details).toEqual({ eventIds: server.attempts[0] });
    expect(server.delivered).toEqual([]);
  });

  it('waits as long as Retry-After says on 429 and 503, even when resumed', async () => {
    const client = recorder({ flushIntervalMs: 1_000 });
    server.next.push({ status: 429, retryAfter: '30' }, { status: 503, retryAfter: '20' });
    track(client, 2);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(server.attempts).toHaveLength(1);
    client.resume();
    await vi.advanceTimersByTimeAsync(29_999);
    expect(server.attempts).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(server.attempts).toHaveLength(2);
    client.resume();
    await vi.advanceTimersByTimeAsync(19_999);
    expect(server.attempts).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(server.deliveredIds()).toHaveLength(2);
    expect(new Set(server.attempts.map((ids) => ids.join()))).toHaveProperty('size', 1);
  });

  it('does not retry a 4xx other than 408 and 429', async () => {
    const client = recorder({ flushIntervalMs: 1_000 });
    server.next.push({ status: 400 });
    track(client, 1);
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(server.attempts).toHaveLength(1);
    expect(errors.map((error) => error.code)).toEqual(['events_rejected']);
  });

  it('bounds the waiting events by size: the oldest are dropped and their count reported', async () => {
    const size = JSON.stringify({
      id: '00000000-0000-4000-8000-000000000000',
      type: 'track',
      unitId: 'u0',
      event: 'event-0',
      value: 0,
      timestamp: new Date().toISOString(),
    }).length;
    const client = recorder({ batchSize: 500, flushIntervalMs: 60_000, maxQueueBytes: size * 5 + 2 });
    track(client, 8);
    await vi.advanceTimersByTimeAsync(0);
    expect(errors).toEqual([expect.objectContaining({ code: 'events_dropped', details: { dropped: 3 } })]);
    await client.flush();
    expect((server.delivered as TrackEvent[]).map((event) => event.event)).toEqual([
      'event-3',
      'event-4',
      'event-5',
      'event-6',
      'event-7',
    ]);
  });
});

describe('events kept in storage', () => {
  const key = eventStorageKey(API_HOST, SDK_KEY);
  const stored = (storage: MemoryStorage): SdkEvent[] => JSON.parse(storage.getItem(key) ?? '[]');

  it('stores undelivered events, and the next client sends them once and clears them', async () => {
    const storage = new MemoryStorage();
    const first = recorder({ storage, flushIntervalMs: 1_000, closeTimeoutMs: 500 });
    server.up = false;
    track(first, 3);
    await vi.advanceTimersByTimeAsync(SAVE_DELAY_MS);
    expect(stored(storage).map((event) => (event as TrackEvent).event)).toEqual([
      'event-0',
      'event-1',
      'event-2',
    ]);
    const closing = first.close();
    await vi.advanceTimersByTimeAsync(500);
    await closing;
    expect(errors).toEqual([
      expect.objectContaining({
        code: 'events_send_failed',
        details: expect.objectContaining({ kept: true }),
      }),
    ]);
    const ids = stored(storage).map((event) => event.id);
    expect(ids).toHaveLength(3);

    server.up = true;
    const second = recorder({ storage, flushIntervalMs: 1_000 });
    await vi.advanceTimersByTimeAsync(1_000 + SAVE_DELAY_MS);
    expect(server.deliveredIds()).toEqual(ids);
    expect(stored(storage)).toEqual([]);
    await second.close();
  });

  it('restores each stored id once and ignores entries that are not events', async () => {
    const storage = new MemoryStorage();
    const event = (id: string): TrackEvent => ({
      id,
      type: 'track',
      unitId: 'u1',
      event: 'purchase',
      timestamp: '2026-11-29T12:00:00.000Z',
    });
    storage.setItem(
      key,
      JSON.stringify([event('a'), event('a'), { id: 'b', type: 'track' }, 'junk', null, event('c')]),
    );
    recorder({ storage, flushIntervalMs: 1_000 });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(server.deliveredIds()).toEqual(['a', 'c']);
  });

  it('starts empty from unreadable storage, and keeps sending when storage refuses writes', async () => {
    const storage = new MemoryStorage();
    storage.items.set(key, '{not json');
    storage.failing = true;
    const client = recorder({ storage, flushIntervalMs: 1_000 });
    track(client, 2);
    await vi.advanceTimersByTimeAsync(1_000 + SAVE_DELAY_MS);
    expect(server.deliveredIds()).toHaveLength(2);
    expect(errors.map((error) => error.code)).toEqual(['events_storage_failed']);
  });
});
