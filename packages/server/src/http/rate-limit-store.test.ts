import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryRateCounter } from '../adapters/memory/rate-counter.js';
import type { RateCounter } from '../ports/rate-counter.js';
import { sendError } from './errors.js';
import { rateLimitStoreOver } from './rate-limit-store.js';

const limited = (max: number) => ({ config: { rateLimit: { max, timeWindow: 60_000 } } });

async function appOver(
  counter: RateCounter,
  routes: (app: FastifyInstance) => void,
): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  app.setErrorHandler(sendError);
  await app.register(rateLimit, { global: false, store: rateLimitStoreOver(counter) });
  routes(app);
  await app.ready();
  return app;
}

describe('rateLimitStoreOver', () => {
  let app: FastifyInstance | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('counts each route on its own, in the counter it is given', async () => {
    const counter = memoryRateCounter();
    app = await appOver(counter, (instance) => {
      instance.get('/a', limited(2), async () => 'a');
      instance.get('/b', limited(2), async () => 'b');
    });
    const statuses = async (url: string, times: number) => {
      const seen = [];
      for (let index = 0; index < times; index++) seen.push((await app?.inject({ url }))?.statusCode);
      return seen;
    };
    expect(await statuses('/a', 3)).toEqual([200, 200, 429]);
    // Same client, another route: its own count.
    expect(await statuses('/b', 2)).toEqual([200, 200]);
    expect((await counter.peek('rate-limit:GET/a:127.0.0.1')).count).toBe(3);
  });

  it('refuses with 503, never lets through, when the counter fails', async () => {
    const broken: RateCounter = {
      add: () => Promise.reject(new Error('Redis at 10.0.0.5:6379 is down')),
      peek: () => Promise.reject(new Error('Redis at 10.0.0.5:6379 is down')),
    };
    app = await appOver(broken, (instance) => {
      instance.get('/a', limited(2), async () => 'a');
    });
    const response = await app.inject({ url: '/a' });
    expect(response.statusCode).toBe(503);
    expect(response.json().error.code).toBe('service_unavailable');
    expect(response.body).not.toContain('10.0.0.5');
  });

  it('refuses a route asking for windows the counter cannot keep', async () => {
    await expect(
      appOver(memoryRateCounter(), (instance) => {
        instance.get('/a', { config: { rateLimit: { max: 2, continueExceeding: true } } }, async () => 'a');
      }),
    ).rejects.toThrow(/fixed windows only/);
  });
});
