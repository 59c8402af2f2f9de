import { describe, expect, it } from 'vitest';
import type { RateCounter } from '../ports/rate-counter.js';
import { failoverRateCounter } from './failover-rate-counter.js';
import { memoryRateCounter } from './memory/rate-counter.js';

/** A shared counter (in-process here) that can be made to fail, or to hang, like Redis. */
function switchableCounter() {
  const inner = memoryRateCounter();
  let mode: 'up' | 'down' | 'hanging' = 'up';
  let calls = 0;
  const guard = async () => {
    calls++;
    if (mode === 'down') throw new Error('Connection is closed.');
    if (mode === 'hanging') await new Promise(() => {});
  };
  const counter: RateCounter = {
    async add(key, amount, windowMs, options) {
      await guard();
      return inner.add(key, amount, windowMs, options);
    },
    async peek(key) {
      await guard();
      return inner.peek(key);
    },
  };
  return {
    counter,
    inner,
    set: (next: typeof mode) => {
      mode = next;
    },
    calls: () => calls,
  };
}

function setUp(options: { probeIntervalMs?: number; timeoutMs?: number } = {}) {
  const shared = switchableCounter();
  const fallback = memoryRateCounter();
  const log: string[] = [];
  let now = 0;
  const counter = failoverRateCounter(shared.counter, fallback, {
    onOutage: () => log.push('outage'),
    onRecovery: () => log.push('recovery'),
    now: () => now,
    ...options,
  });
  return {
    shared,
    fallback,
    counter,
    log,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('failoverRateCounter', () => {
  it('counts in the shared counter while it answers', async () => {
    const { shared, fallback, counter, log } = setUp();
    await counter.add('k', 2, 60_000);
    expect((await counter.peek('k')).count).toBe(2);
    expect((await shared.inner.peek('k')).count).toBe(2);
    expect((await fallback.peek('k')).count).toBe(0);
    expect(log).toEqual([]);
  });

  it('keeps counting in-process while the shared counter fails, and reports the outage once', async () => {
    const { shared, fallback, counter, log, advance } = setUp({ probeIntervalMs: 1_000 });
    shared.set('down');
    for (let attempt = 1; attempt <= 5; attempt++) {
      expect((await counter.add('k', 1, 60_000)).count).toBe(attempt);
      advance(1_500);
    }
    expect((await fallback.peek('k')).count).toBe(5);
    expect(log).toEqual(['outage']);
  });

  it('tries the shared counter at most once per probe interval during an outage', async () => {
    const { shared, counter, advance } = setUp({ probeIntervalMs: 1_000 });
    shared.set('down');
    await counter.add('k', 1, 60_000);
    const afterFirst = shared.calls();
    for (let index = 0; index < 10; index++) await counter.add('k', 1, 60_000);
    expect(shared.calls()).toBe(afterFirst);
    advance(1_000);
    await counter.add('k', 1, 60_000);
    expect(shared.calls()).toBe(afterFirst + 1);
  });

  it('goes back to the shared counter once it answers, and reports the recovery once', async () => {
    const { shared, counter, log, advance } = setUp({ probeIntervalMs: 1_000 });
    shared.set('down');
    await counter.add('k', 1, 60_000);
    shared.set('up');
    // Within the probe interval the fallback still counts…
    await counter.add('k', 1, 60_000);
    expect((await shared.inner.peek('k')).count).toBe(0);
    advance(1_000);
    // …and the first probe after it finds the shared counter back.
    expect((await counter.add('k', 1, 60_000)).count).toBe(1);
    expect((await counter.add('k', 1, 60_000)).count).toBe(2);
    expect(log).toEqual(['outage', 'recovery']);
    shared.set('down');
    await counter.add('k', 1, 60_000);
    expect(log).toEqual(['outage', 'recovery', 'outage']);
  });

  it('counts in-process when the shared counter does not answer in time', async () => {
    const { shared, counter, log } = setUp({ timeoutMs: 50 });
    shared.set('hanging');
    const started = performance.now();
    expect((await counter.add('k', 1, 60_000)).count).toBe(1);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(log).toEqual(['outage']);
  });
});
