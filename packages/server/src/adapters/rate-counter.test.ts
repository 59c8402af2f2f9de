import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RateCounter } from '../ports/rate-counter.js';
import { TEST_REDIS_URL } from '../test-support/services.js';
import { memoryRateCounter } from './memory/rate-counter.js';
import { connectRedis, type RedisConnection } from './redis/connect.js';
import { redisRateCounter } from './redis/rate-counter.js';

let redis: RedisConnection;
beforeAll(async () => {
  redis = await connectRedis(TEST_REDIS_URL);
});
afterAll(async () => {
  await redis?.close();
});

const implementations: Array<[string, () => RateCounter]> = [
  ['memory', () => memoryRateCounter()],
  ['redis', () => redisRateCounter(redis.client, `cleave:test:${randomUUID()}:`)],
];

describe.each(implementations)('RateCounter contract (%s)', (_name, create) => {
  it('starts at zero, adds amounts and gives them back', async () => {
    const counter = create();
    expect(await counter.peek('a')).toEqual({ count: 0, resetInMs: 0 });
    expect((await counter.add('a', 5, 60_000)).count).toBe(5);
    expect((await counter.add('a', 3, 60_000)).count).toBe(8);
    expect((await counter.add('a', -3, 60_000)).count).toBe(5);
    expect((await counter.peek('a')).count).toBe(5);
    expect((await counter.peek('b')).count).toBe(0);
  });

  // Windows are wide against the waits: the machine running tests may be busy.
  it('forgets a counter when its window ends, and keeps the window from the first add', async () => {
    const counter = create();
    await counter.add('short', 1, 1_000);
    const firstAddedBy = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Measured rather than assumed 300 ms: a timer may fire a millisecond early by the wall clock.
    const secondAddedFrom = Date.now();
    const second = await counter.add('short', 1, 1_000);
    expect(second.count).toBe(2);
    // The window still ends where the first add started it, not a full window after the second.
    expect(second.resetInMs).toBeLessThanOrEqual(firstAddedBy + 1_000 - secondAddedFrom);
    expect(second.resetInMs).toBeLessThan(800);
    await new Promise((resolve) => setTimeout(resolve, second.resetInMs + 100));
    expect(await counter.peek('short')).toEqual({ count: 0, resetInMs: 0 });
  });

  it('restarts the window on every add when sliding', async () => {
    const counter = create();
    await counter.add('slide', 1, 1_000, { slide: true });
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect((await counter.add('slide', 1, 1_000, { slide: true })).resetInMs).toBeGreaterThan(600);
    await new Promise((resolve) => setTimeout(resolve, 600));
    // 1.2 s after the first add: alive only because the second add restarted the window.
    expect((await counter.peek('slide')).count).toBe(2);
  });
});

describe('memoryRateCounter', () => {
  it('stays within its bound under a flood of distinct keys', async () => {
    let now = 0;
    const counter = memoryRateCounter({ maxEntries: 10, now: () => now });
    for (let index = 0; index < 100; index++) {
      now += 1;
      await counter.add(`key-${index}`, 1, 1_000);
    }
    // The newest keys are kept (furthest from expiry); the oldest went first.
    expect((await counter.peek('key-99')).count).toBe(1);
    expect((await counter.peek('key-0')).count).toBe(0);
  });
});
