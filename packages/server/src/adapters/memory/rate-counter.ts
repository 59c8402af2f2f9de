/**
 * @module adapters/memory/rate-counter
 * The in-process RateCounter: a map of counters with expiry times. Bounded: past `maxEntries` the
 * oldest counters go first, so a flood of distinct keys (addresses, emails) costs memory up to that
 * bound and no further; expired counters are dropped when next touched.
 */
import type { CounterState, RateCounter } from '../../ports/rate-counter.js';

interface Counter {
  count: number;
  expiresAt: number;
}

export function memoryRateCounter(options: { maxEntries?: number; now?: () => number } = {}): RateCounter {
  const maxEntries = options.maxEntries ?? 100_000;
  const now = options.now ?? Date.now;
  const counters = new Map<string, Counter>();

  const live = (key: string, at: number): Counter | undefined => {
    const counter = counters.get(key);
    if (counter && counter.expiresAt <= at) {
      counters.delete(key);
      return undefined;
    }
    return counter;
  };
  // A Map iterates in insertion order: the first entry is the oldest counter. O(1) per add, so a
  // flood of distinct keys costs no more time than memory.
  const evictOldest = () => {
    const oldest = counters.keys().next();
    if (!oldest.done) counters.delete(oldest.value);
  };
  const state = (counter: Counter | undefined, at: number): CounterState =>
    counter ? { count: counter.count, resetInMs: counter.expiresAt - at } : { count: 0, resetInMs: 0 };

  return {
    async add(key, amount, windowMs, { slide = false } = {}) {
      const at = now();
      let counter = live(key, at);
      if (!counter) {
        counter = { count: 0, expiresAt: at + windowMs };
        counters.set(key, counter);
        if (counters.size > maxEntries) evictOldest();
      } else if (slide) {
        counter.expiresAt = at + windowMs;
      }
      counter.count += amount;
      return state(counter, at);
    },
    async peek(key) {
      const at = now();
      return state(live(key, at), at);
    },
  };
}
