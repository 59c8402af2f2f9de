/**
 * @module adapters/memory/cache
 * In-process cache: a bounded LRU with per-entry expiry. The embedded default, and the first tier
 * in front of Redis (a hit here costs no network round trip).
 */
import type { Cache } from '../../ports/cache.js';
import { TtlCache } from './ttl-cache.js';

export function memoryCache<V>(options: { maxEntries: number; ttlMs: number }): Cache<V> {
  const entries = new TtlCache<string, V>(options.ttlMs, options.maxEntries);
  return {
    async get(key) {
      return entries.get(key);
    },
    async set(key, value) {
      entries.set(key, value);
    },
  };
}
