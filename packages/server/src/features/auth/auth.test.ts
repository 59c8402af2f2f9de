import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test-support/databases.js';
import { createTestApp, TEST_PASSWORD, TEST_SETUP_CODE, type TestApp } from '../../test-support/test-app.js';

describe.each(DIALECTS)('people: sign-up, sign-in, sessions (%s)', (dialect) => {
  let test: TestApp;
  beforeAll(async () => {
    test = await createTestApp(dialect, { signInAttemptsPerMinute: 5 });
  });
  afterAll(async () => {
    await test?.close();
  });

  it('opens sign-up on an empty instance only, to whoever has the setup code', async () => {
    expect((await test.request({ method: 'GET', url: '/api/v1/auth/status' })).json()).toEqual({
      needsFirstUser: true,
    });
    const account = { email: ' First@Example.COM ', name: 'First', password: TEST_PASSWORD };
    for (const setupCode of [undefined, '', 'TEST-SETUP-CODE-0002', `${TEST_SETUP_CODE}X`]) {
      const refused = await test.request({
        method: 'POST',
        url: '/api/v1/auth/signup',
        payload: { ...account, ...(setupCode !== undefined && { setupCode }) },
      });
      expect(refused.statusCode).toBe(403);
      expect(refused.json().error).toMatchObject({ code: 'forbidden', details: { reason: 'setup_code' } });
      expect(refused.cookies).toEqual([]);
    }
    expect((await test.request({ method: 'GET', url: '/api/v1/auth/status' })).json()).toEqual({
      needsFirstUser: true,
    });
    // Codes are copied by hand: case and dashes don't matter.
    const signUp = await test.request({
      method: 'POST',
      url: '/api/v1/auth/signup',
      payload: { ...account, setupCode: TEST_SETUP_CODE.toLowerCase().replaceAll('-', '') },
    });
    expect(signUp.statusCode).toBe(201);
    expect(signUp.json().user).toMatchObject({ email: 'first@example.com', isInstanceAdmin: true });
    const cookie = signUp.cookies.find((candidate) => candidate.name === 'cleave_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect((await test.request({ method: 'GET', url: '/api/v1/auth/status' })).json()).toEqual({
      needsFirstUser: false,
    });

    const second = await test.request({
      method: 'POST',
      url: '/api/v1/auth/signup',
      payload: {
        email: 'second@example.com',
        name: 'Second',
        password: TEST_PASSWORD,
        setupCode: TEST_SETUP_CODE,
      },
    });
    expect(second.statusCode).toBe(403);
    expect(second.json().error.code).toBe('forbidden');
  });

  it('rejects a weak password and a malformed email with the paths of both fields', async () => {
    const response = await test.request({
      method: 'POST',
      url: '/api/v1/auth/signup',
      payload: { email: 'not-an-email', name: 'X', password: 'short' },
    });
    expect(response.statusCode).toBe(400);
    const paths = response.json().error.details.issues.map((issue: { path: string }) => issue.path);
    expect(paths).toEqual(expect.arrayContaining(['/body/email', '/body/password']));
  });

  it('signs in with the right password only, with the same answer for an unknown email', async () => {
    const wrong = await test.request({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'first@example.com', password: 'nope-nope-nope' },
    });
    const unknown = await test.request({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'ghost@example.com', password: 'nope-nope-nope' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json()).toEqual(unknown.json());

    const session = await test.signIn('FIRST@example.com');
    const me = await test.request({ method: 'GET', url: '/api/v1/auth/session' }, session);
    expect(me.statusCode).toBe(200);
    expect(me.json().user.email).toBe('first@example.com');
    expect(me.json().user.lastLoginAt).toEqual(expect.any(String));
    expect(me.json().csrfToken).toBe(session.headers['x-csrf-token']);
  });

  it('requires the CSRF token on cookie-authenticated changes', async () => {
    const session = await test.signIn('first@example.com');
    const withoutToken = await test.request({
      method: 'POST',
      url: '/api/v1/projects',
      payload: { key: 'csrf', name: 'CSRF' },
      headers: { cookie: session.headers.cookie ?? '' },
    });
    expect(withoutToken.statusCode).toBe(403);
    expect(withoutToken.json().error.details).toEqual({ reason: 'csrf' });
    const withToken = await test.request(
      { method: 'POST', url: '/api/v1/projects', payload: { key: 'csrf', name: 'CSRF' } },
      session,
    );
    expect(withToken.statusCode).toBe(201);
  });

  it('ends the session on sign-out, which needs the CSRF token like any other change', async () => {
    const session = await test.signIn('first@example.com');
    // What a cross-site form posting to /auth/logout sends: the cookie, never the token.
    const forged = await test.request({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { cookie: session.headers.cookie ?? '' },
    });
    expect(forged.statusCode).toBe(403);
    expect(forged.json().error.details).toEqual({ reason: 'csrf' });
    const still = await test.request({ method: 'GET', url: '/api/v1/auth/session' }, session);
    expect(still.statusCode).toBe(200);

    const out = await test.request({ method: 'POST', url: '/api/v1/auth/logout' }, session);
    expect(out.statusCode).toBe(204);
    const after = await test.request({ method: 'GET', url: '/api/v1/auth/session' }, session);
    expect(after.statusCode).toBe(401);
    expect(after.json().error.code).toBe('unauthorized');
    // A dead session needs no token to clear its cookie.
    const again = await test.request({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { cookie: session.headers.cookie ?? '' },
    });
    expect(again.statusCode).toBe(204);
  });

  it('lets an instance admin create accounts, and nobody else', async () => {
    const admin = await test.signIn('first@example.com');
    const person = await test.createPerson(admin, 'person@example.com');
    const byPerson = await test.request(
      {
        method: 'POST',
        url: '/api/v1/users',
        payload: { email: 'third@example.com', name: 'Third', password: TEST_PASSWORD },
      },
      person,
    );
    expect(byPerson.statusCode).toBe(403);
    const duplicate = await test.request(
      {
        method: 'POST',
        url: '/api/v1/users',
        payload: { email: 'PERSON@example.com', name: 'Again', password: TEST_PASSWORD },
      },
      admin,
    );
    expect(duplicate.statusCode).toBe(409);
  });

  it('rate-limits sign-in attempts per address and email', async () => {
    const attempt = () =>
      test.request({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: 'victim@example.com', password: 'guess-guess' },
      });
    const statuses: number[] = [];
    for (let index = 0; index < 6; index += 1) statuses.push((await attempt()).statusCode);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    const limited = await attempt();
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe('rate_limited');
    expect(limited.headers['retry-after']).toBeDefined();
    // Another account from the same address is not locked out.
    expect((await test.signIn('person@example.com')).userId).toEqual(expect.any(String));
  });

  it('answers a malformed or unknown bearer key with 401', async () => {
    const malformed = await test.request(
      { method: 'GET', url: '/api/v1/projects/csrf' },
      test.bearer('nope'),
    );
    expect(malformed.statusCode).toBe(401);
    const unknown = await test.request(
      { method: 'GET', url: '/api/v1/projects/csrf' },
      test.bearer(`clv_admin_${'a'.repeat(43)}`),
    );
    expect(unknown.statusCode).toBe(401);
    const badScheme = await test.request({
      method: 'GET',
      url: '/api/v1/projects/csrf',
      headers: { authorization: 'Basic abc' },
    });
    expect(badScheme.statusCode).toBe(401);
  });
});

describe('session cookies behind an HTTPS load balancer', () => {
  let test: TestApp;
  beforeAll(async () => {
    test = await createTestApp('sqlite', { trustProxy: true });
  });
  afterAll(async () => {
    await test?.close();
  });

  it('marks the cookie Secure when the client came over HTTPS, and only then', async () => {
    const payload = {
      email: 'secure@example.com',
      name: 'Secure',
      password: TEST_PASSWORD,
      setupCode: TEST_SETUP_CODE,
    };
    const signUp = await test.request({
      method: 'POST',
      url: '/api/v1/auth/signup',
      payload,
      headers: { 'x-forwarded-proto': 'https' },
    });
    expect(signUp.cookies.find((cookie) => cookie.name === 'cleave_session')?.secure).toBe(true);
    const plain = await test.request({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: payload.email, password: TEST_PASSWORD },
    });
    expect(plain.cookies.find((cookie) => cookie.name === 'cleave_session')?.secure).toBeFalsy();
  });
});
