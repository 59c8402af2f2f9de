import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RateCounter } from '../../ports/rate-counter.js';
import { type Credentials, createTestApp, type TestApp } from '../../test-support/test-app.js';

/** Events the validator rejects still cost budget: counting them is what stops a flood of junk. */
const junk = (count: number) => Array.from({ length: count }, () => ({}));

describe('event budgets: events per key, and per sdk key and client address', () => {
  let test: TestApp;
  let owner: Credentials;
  let sdk: Credentials;
  let server: Credentials;

  const send = (events: unknown[], as: Credentials, remoteAddress: string) =>
    test.request({ method: 'POST', url: '/api/v1/events', payload: { events }, remoteAddress }, as);

  beforeAll(async () => {
    test = await createTestApp('sqlite', {
      eventBudget: { perKeyPerMinute: 2_000, perClientPerMinute: 1_000 },
    });
    owner = await test.signUpOwner();
    await test.createProject(owner);
    sdk = await test.environmentKey(owner, { kind: 'sdk' });
    server = await test.environmentKey(owner, { kind: 'server' });
  });
  afterAll(async () => {
    await test?.close();
  });

  it('lets a client send empty batches for free, so it cannot lock out the key with them', async () => {
    for (let index = 0; index < 650; index++) {
      const response = await send([], sdk, '198.51.100.1');
      expect(response.statusCode).toBe(202);
    }
    expect((await send(junk(10), sdk, '198.51.100.2')).statusCode).toBe(202);
  });

  it("stops one client of an sdk key at its own budget while the key's other clients go on", async () => {
    expect((await send(junk(600), sdk, '203.0.113.1')).statusCode).toBe(202);
    expect((await send(junk(390), sdk, '203.0.113.1')).statusCode).toBe(202);
    const over = await send(junk(11), sdk, '203.0.113.1');
    expect(over.statusCode).toBe(429);
    expect(over.headers['retry-after']).toMatch(/^\d+$/);
    expect(over.json().error).toMatchObject({
      code: 'rate_limited',
      details: { budget: 'client', limit: 1_000 },
    });
    // Another browser with the same key, and another /64 of IPv6, are unaffected.
    expect((await send(junk(500), sdk, '203.0.113.2')).statusCode).toBe(202);
    expect((await send(junk(300), sdk, '2001:db8:1:1::1')).statusCode).toBe(202);
    expect((await send(junk(10), sdk, '2001:db8:1:1::2')).statusCode).toBe(202);
  });

  it('counts every client against the key budget, without the refused events', async () => {
    // So far 10 + 990 + 500 + 310 = 1,810 of 2,000 (the refused 11 were given back).
    expect((await send(junk(190), sdk, '203.0.113.3')).statusCode).toBe(202);
    const full = await send(junk(1), sdk, '203.0.113.4');
    expect(full.statusCode).toBe(429);
    expect(full.json().error.details).toMatchObject({ budget: 'key', limit: 2_000 });
    // Empty batches stay free even then.
    expect((await send([], sdk, '203.0.113.4')).statusCode).toBe(202);
  });

  it('gives a server key the key budget alone: one backend may send for all its users', async () => {
    expect((await send(junk(1_000), server, '192.0.2.10')).statusCode).toBe(202);
    expect((await send(junk(1_000), server, '192.0.2.10')).statusCode).toBe(202);
    expect((await send(junk(1), server, '192.0.2.10')).statusCode).toBe(429);
  });
});

describe('event budgets while their counters are unreachable', () => {
  let test: TestApp;
  beforeAll(async () => {
    const unreachable: RateCounter = {
      add: () => Promise.reject(new Error('Redis is down')),
      peek: () => Promise.reject(new Error('Redis is down')),
    };
    test = await createTestApp('sqlite', { rateCounter: unreachable });
  });
  afterAll(async () => {
    await test?.close();
  });

  it('accepts events uncounted, while sign-in answers 503 rather than going unthrottled', async () => {
    // Made through the services: signing in is exactly what this test shows to be unavailable.
    const project = await test.services.projects.create({ key: 'shop', name: 'Shop' }, undefined);
    const secret = `clv_sdk_${'Q'.repeat(40)}`;
    await test.services.apiKeys.create(
      project,
      { name: 'web', kind: 'sdk', environment: 'production' },
      undefined,
      null,
      secret,
    );
    const sdk = test.bearer(secret);
    const events = await test.request(
      { method: 'POST', url: '/api/v1/events', payload: { events: junk(3) } },
      sdk,
    );
    expect(events.statusCode).toBe(202);
    const signIn = await test.request({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'owner@example.com', password: 'whatever-it-is' },
    });
    expect(signIn.statusCode).toBe(503);
    expect(signIn.json().error.code).toBe('service_unavailable');
    expect(signIn.body).not.toContain('Redis');
  });
});
