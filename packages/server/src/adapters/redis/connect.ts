/**
 * @module adapters/redis/connect
 * The shared Redis connection (cache, pub/sub, jobs). Commands fail fast while Redis is down rather
 * than queueing in memory, so readiness reports the outage instead of requests hanging.
 */
import { Redis } from 'ioredis';

export interface RedisConnection {
  readonly client: Redis;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export async function connectRedis(url: string): Promise<RedisConnection> {
  const client = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    connectTimeout: 5_000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
  // Without a listener ioredis logs every reconnect failure to stderr; readiness reports it instead.
  client.on('error', () => {});
  await client.connect();
  return {
    client,
    async ping() {
      const answer = await client.ping();
      if (answer !== 'PONG') throw new Error(`unexpected PING answer: ${answer}`);
    },
    async close() {
      await client.quit().catch(() => client.disconnect());
    },
  };
}
