/**
 * @module adapters/tiered-cache
 * Two caches as one: a small in-process tier in front of a shared one (Redis).
 */
import type { Cache } from '../ports/cache.js';

/** Reads the first tier, then the second (filling the first on a hit); writes both. */
export function tieredCache<V>(first: Cache<V>, second: Cache<V>): Cache<V> {
  return {
    async get(key) {
      const near = await first.get(key);
      if (near !== undefined) return near;
      const far = await second.get(key);
      if (far !== undefined) await first.set(key, far);
      return far;
    },
    async set(key, value) {
      await Promise.all([first.set(key, value), second.set(key, value)]);
    },
  };
}
