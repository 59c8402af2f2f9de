/**
 * @module adapters/redis/cache
 * Shared cache in Redis for strings (serialized payloads), so a config built by one API node serves
 * every node. A Redis failure degrades to a miss: the caller rebuilds from the database.
 */
import type { Redis } from 'ioredis';
import type { Cache } from '../../ports/cache.js';

export function redisCache(client: Redis, options: { prefix: string; ttlSeconds: number }): Cache<string> {
  return {
    async get(key) {
      try {
        return (await client.get(`${options.prefix}${key}`)) ?? undefined;
      } catch {
        return undefined;
      }
    },
    async set(key, value) {
      try {
        await client.set(`${options.prefix}${key}`, value, 'EX', options.ttlSeconds);
      } catch {
        // A cache that can't be written is only slower; the database stays the source of truth.
      }
    },
  };
}
