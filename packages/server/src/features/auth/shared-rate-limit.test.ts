import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis, type RedisConnection } from '../../adapters/redis/connect.js';
import { TEST_REDIS_URL } from '../../test-support/services.js';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';

describe('rate limits shared through Redis', () => {
  let redis: RedisConnection;
  let first: TestApp;
  let second: TestApp;
  beforeAll(async () => {
    redis = await connectRedis(TEST_REDIS_URL);
    first = await createTestApp('sqlite', { signInAttemptsPerMinute: 5, rateLimitRedis: redis.client });
    second = await createTestApp('sqlite', { signInAttemptsPerMinute: 5, rateLimitRedis: redis.client });
  });
  afterAll(async () => {
    await first?.close();
    await second?.close();
    await redis?.close();
  });

  it('counts sign-in attempts across API nodes, so a second node is no way around the limit', async () => {
    const email = `victim-${randomUUID()}@example.com`;
    const attempt = (app: TestApp) =>
      app.request({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: 'guess-guess' } });
    const statuses = [];
    for (const app of [first, second, first, second, first]) statuses.push((await attempt(app)).statusCode);
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    expect((await attempt(second)).statusCode).toBe(429);
  });
});
