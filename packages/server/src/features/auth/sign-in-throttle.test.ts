import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test-support/databases.js';
import { createTestApp, TEST_PASSWORD, type TestApp } from '../../test-support/test-app.js';

describe.each(DIALECTS)('sign-in failures per address, across emails (%s)', (dialect) => {
  let test: TestApp;
  const attacker = '198.51.100.66';

  const attempt = (email: string, password: string, remoteAddress = attacker) =>
    test.request({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password }, remoteAddress });

  beforeAll(async () => {
    // The per-(address, email) limit is high here: this is about spraying many emails.
    test = await createTestApp(dialect, { signInAttemptsPerMinute: 1_000, signInFailuresPerAddress: 3 });
    await test.signUpOwner('owner@example.com');
  });
  afterAll(async () => {
    await test?.close();
  });

  it('backs off exponentially once one address has failed against several emails', async () => {
    for (const email of ['a@example.com', 'b@example.com', 'owner@example.com', 'c@example.com']) {
      expect((await attempt(email, 'password-spray')).statusCode).toBe(401);
    }
    // Four failures, three free: the address waits 1 s, whichever email it tries next.
    const known = await attempt('owner@example.com', 'password-spray');
    const unknown = await attempt('nobody@example.com', 'password-spray');
    expect(known.statusCode).toBe(429);
    expect(known.json()).toEqual(unknown.json());
    expect(known.headers['retry-after']).toBe('1');
    expect(known.json().error.code).toBe('rate_limited');
    // Even the right password waits: the answer must not tell a right guess from a wrong one.
    expect((await attempt('owner@example.com', TEST_PASSWORD)).statusCode).toBe(429);

    // Another address is not held back by this one.
    expect((await attempt('owner@example.com', TEST_PASSWORD, '192.0.2.1')).statusCode).toBe(200);

    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect((await attempt('d@example.com', 'password-spray')).statusCode).toBe(401);
    const doubled = await attempt('e@example.com', 'password-spray');
    expect(doubled.statusCode).toBe(429);
    expect(doubled.headers['retry-after']).toBe('2');
  });
});
