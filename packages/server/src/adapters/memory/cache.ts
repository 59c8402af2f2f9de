/**
 * @module adapters/memory/cache
 * In-process cache: a bounded LRU with per-entry expiry. The embedded default, and the first tier
 * in front of Redis (a hit here costs no network round trip).
 */
import type { Cache } from '../cache.js';

export function memoryCache<V>(options: { maxEntries: number; ttlMs: number }): Cache<V> {
  // A Map iterates in insertion order: re-inserting on read keeps the oldest entry first.
  const entries = new Map<string, { value: V; expiresAt: number }>();
  return {
    async get(key) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (entry.expiresAt <= Date.now()) {
        entries.delete(key);
        return undefined;
      }
      entries.delete(key);
      entries.set(key, entry);
      return entry.value;
    },
    async set(key, value) {
      entries.delete(key);
      entries.set(key, { value, expiresAt: Date.now() + options.ttlMs });
      while (entries.size > options.maxEntries) {
        const oldest = entries.keys().next().value;
        if (oldest === undefined) break;
        entries.delete(oldest);
      }
    },
  };
}
