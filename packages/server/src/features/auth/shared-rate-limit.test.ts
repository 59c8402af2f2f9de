import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis, type RedisConnection } from '../../adapters/redis/connect.js';
import { redisRateCounter } from '../../adapters/redis/rate-counter.js';
import { TEST_REDIS_URL } from '../../test-support/services.js';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';

describe('rate limits shared through Redis', () => {
  let redis: RedisConnection;
  let first: TestApp;
  let second: TestApp;
  beforeAll(async () => {
    redis = await connectRedis(TEST_REDIS_URL);
    // One counter namespace per run: the test Redis outlives this file, and other runs share it.
    const rateCounter = redisRateCounter(redis.client, `cleave:test:${randomUUID()}:`);
    const options = {
      signInAttemptsPerMinute: 5,
      rateCounter,
      signInFailuresPerAddress: 8,
    };
    first = await createTestApp('sqlite', options);
    second = await createTestApp('sqlite', options);
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

  it('counts failed sign-ins per address across emails and nodes', async () => {
    const address = '198.51.100.99';
    const attempt = (app: TestApp, email: string) =>
      app.request({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email, password: 'guess-guess' },
        remoteAddress: address,
      });
    const statuses = [];
    for (let index = 0; index < 9; index++) {
      statuses.push(
        (await attempt(index % 2 === 0 ? first : second, `spray-${index}@example.com`)).statusCode,
      );
    }
    expect(statuses).toEqual(Array(9).fill(401));
    expect((await attempt(first, 'spray-9@example.com')).statusCode).toBe(429);
    expect((await attempt(second, 'spray-10@example.com')).statusCode).toBe(429);
  });
});
