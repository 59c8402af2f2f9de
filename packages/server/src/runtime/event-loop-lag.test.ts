import { collectDefaultMetrics, Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { type EventLoopLag, monitorEventLoopLag } from './event-loop-lag.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The samples of the Prometheus text as `name{labels}` → value. */
function samples(text: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const cut = line.lastIndexOf(' ');
    values.set(line.slice(0, cut), Number(line.slice(cut + 1)));
  }
  return values;
}

describe('event-loop lag metric', () => {
  let lag: EventLoopLag | undefined;
  afterEach(() => lag?.stop());

  function monitored(): Registry {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry, prefix: 'test_' });
    lag = monitorEventLoopLag(registry, { prefix: 'test_' });
    return registry;
  }

  it('replaces the default gauges, which print nonsense when scraped twice in a row', async () => {
    const registry = monitored();
    await sleep(50);
    for (const text of [await registry.metrics(), await registry.metrics()]) {
      const values = samples(text);
      expect([...values.keys()].filter((name) => name.includes('eventloop_lag_m'))).toEqual([]);
      for (const [name, value] of values) {
        if (!name.includes('eventloop')) continue;
        expect(Number.isFinite(value), `${name} ${value}`).toBe(true);
        expect(value, name).toBeLessThan(1e6);
      }
      expect(values.get('test_nodejs_eventloop_lag_seconds_count')).toBeGreaterThan(0);
    }
  });

  it('measures lag beyond the requested delay: idle samples are small, a blocked loop shows', async () => {
    const registry = monitored();
    await sleep(100);
    const idle = samples(await registry.metrics());
    // The default gauges counted the 10 ms sampling interval itself as lag.
    expect(idle.get('test_nodejs_eventloop_lag_seconds_bucket{le="0.005"}')).toBeGreaterThan(0);
    const blockedBefore = idle.get('test_nodejs_eventloop_lag_seconds_bucket{le="0.1"}') ?? 0;
    const countBefore = idle.get('test_nodejs_eventloop_lag_seconds_count') ?? 0;

    const until = Date.now() + 150;
    while (Date.now() < until) {
      // Busy: no timer can run.
    }
    await sleep(30);
    const after = samples(await registry.metrics());
    const count = after.get('test_nodejs_eventloop_lag_seconds_count') ?? 0;
    const underTenth = after.get('test_nodejs_eventloop_lag_seconds_bucket{le="0.1"}') ?? 0;
    // At least one new sample was over 100 ms late, and the sum carries it.
    expect(count - countBefore).toBeGreaterThan(underTenth - blockedBefore);
    expect(after.get('test_nodejs_eventloop_lag_seconds_sum')).toBeGreaterThan(0.1);
  });
});
