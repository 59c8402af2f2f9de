import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../test-support/databases.js';
import { type Credentials, createTestApp, type TestApp } from '../test-support/test-app.js';

/** Answers that must say what was refused, in Cleave's error shape. */
describe.each(DIALECTS)('error answers say what is refused (%s)', (dialect) => {
  let test: TestApp;
  let owner: Credentials;
  let baseUrl: string;

  beforeAll(async () => {
    test = await createTestApp(dialect);
    owner = await test.signUpOwner();
    await test.createProject(owner);
    baseUrl = await test.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await test?.close();
  });

  it.each([
    '{"key":"p","name":"P","__proto__":{"admin":true}}',
    '{"key":"p","name":"P","constructor":{"prototype":{"admin":true}}}',
  ])('names the prototype key it refuses in %s, rather than calling it invalid JSON', async (payload) => {
    const response = await test.request(
      { method: 'POST', url: '/api/v1/projects', payload, headers: { 'content-type': 'application/json' } },
      owner,
    );
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('invalid_json');
    expect(response.json().error.message).toContain('__proto__');
    expect(response.json().error.message).not.toContain('not valid JSON');
  });

  it('still calls broken JSON broken', async () => {
    const response = await test.request(
      {
        method: 'POST',
        url: '/api/v1/projects',
        payload: '{"__proto__":',
        headers: { 'content-type': 'application/json' },
      },
      owner,
    );
    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toContain('not valid JSON');
  });

  it('answers an over-long URL with 431 in the error shape, with a request id', async () => {
    const response = await fetch(`${baseUrl}/api/v1/projects?search=${'a'.repeat(20_000)}`);
    expect(response.status).toBe(431);
    expect(response.headers.get('x-request-id')).toEqual(expect.any(String));
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('headers_too_large');
    expect(body.error.message).toContain('shorten the URL');
  });

  it('refuses an unknown status in a list filter with 400, naming the known ones', async () => {
    const weird = await test.request(
      { method: 'GET', url: '/api/v1/projects/shop/flags?status=active,weird' },
      owner,
    );
    expect(weird.statusCode).toBe(400);
    expect(weird.json().error.details.issues).toEqual([
      { path: '/query/status', message: 'must be a comma-separated list of active, archived' },
    ]);
    const notAFlagStatus = await test.request(
      { method: 'GET', url: '/api/v1/projects/shop/flags?status=running' },
      owner,
    );
    expect(notAFlagStatus.statusCode).toBe(400);
    const running = await test.request(
      { method: 'GET', url: '/api/v1/projects/shop/experiments?status=running,stopped' },
      owner,
    );
    expect(running.statusCode).toBe(200);
    const archived = await test.request(
      { method: 'GET', url: '/api/v1/projects/shop/segments?status=archived' },
      owner,
    );
    expect(archived.statusCode).toBe(200);
  });
});
