import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test-support/databases.js';
import { type Credentials, createTestApp, type TestApp } from '../../test-support/test-app.js';

describe.each(DIALECTS)('API keys (%s)', (dialect) => {
  let test: TestApp;
  let owner: Credentials;
  beforeAll(async () => {
    test = await createTestApp(dialect);
    owner = await test.signUpOwner();
    await test.request(
      { method: 'POST', url: '/api/v1/projects', payload: { key: 'shop', name: 'Shop' } },
      owner,
    );
    await test.request(
      { method: 'POST', url: '/api/v1/projects', payload: { key: 'blog', name: 'Blog' } },
      owner,
    );
  });
  afterAll(async () => {
    await test?.close();
  });

  const create = (payload: Record<string, unknown>, project = 'shop') =>
    test.request({ method: 'POST', url: `/api/v1/projects/${project}/api-keys`, payload }, owner);

  it('shows the secret once, stores only a prefix, and lists without secrets', async () => {
    const response = await create({ name: 'Storefront', kind: 'sdk', environment: 'production' });
    expect(response.statusCode).toBe(201);
    const key = response.json();
    expect(key.secret).toMatch(/^clv_sdk_[A-Za-z0-9_-]{43}$/);
    expect(key.prefix).toBe(key.secret.slice(0, 16));
    const list = await test.request({ method: 'GET', url: '/api/v1/projects/shop/api-keys' }, owner);
    expect(list.body).not.toContain(key.secret);
    expect(list.json().items).toEqual([
      expect.objectContaining({ id: key.id, kind: 'sdk', lastUsedAt: null, revokedAt: null }),
    ]);
  });

  it('needs an environment for sdk and server keys, and refuses one for admin keys', async () => {
    const noEnvironment = await create({ name: 'x', kind: 'server' });
    expect(noEnvironment.statusCode).toBe(400);
    expect(noEnvironment.json().error.details.issues[0].path).toBe('/body/environment');
    const adminWithEnvironment = await create({ name: 'x', kind: 'admin', environment: 'production' });
    expect(adminWithEnvironment.statusCode).toBe(400);
    const unknownEnvironment = await create({ name: 'x', kind: 'sdk', environment: 'mars' });
    expect(unknownEnvironment.statusCode).toBe(404);
  });

  it('lets an admin key manage its own project only, and records its use', async () => {
    const secret = (await create({ name: 'CI', kind: 'admin' })).json().secret as string;
    const own = await test.request({ method: 'GET', url: '/api/v1/projects/shop' }, test.bearer(secret));
    expect(own.statusCode).toBe(200);
    const change = await test.request(
      { method: 'POST', url: '/api/v1/projects/shop/environments', payload: { key: 'ci', name: 'CI' } },
      test.bearer(secret),
    );
    expect(change.statusCode).toBe(201);
    const other = await test.request({ method: 'GET', url: '/api/v1/projects/blog' }, test.bearer(secret));
    expect(other.statusCode).toBe(403);
    // Admin keys act as project admins: owner-only settings stay closed.
    const rename = await test.request(
      { method: 'PATCH', url: '/api/v1/projects/shop', payload: { name: 'x', version: 1 } },
      test.bearer(secret),
    );
    expect(rename.statusCode).toBe(403);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const listed = (
      await test.request({ method: 'GET', url: '/api/v1/projects/shop/api-keys' }, owner)
    ).json();
    expect(listed.items.find((key: { name: string }) => key.name === 'CI').lastUsedAt).toEqual(
      expect.any(String),
    );
  });

  it('keeps sdk and server keys out of the management API', async () => {
    const sdk = (await create({ name: 'web', kind: 'sdk', environment: 'development' })).json()
      .secret as string;
    const server = (await create({ name: 'backend', kind: 'server', environment: 'development' })).json()
      .secret as string;
    for (const secret of [sdk, server]) {
      const response = await test.request(
        { method: 'GET', url: '/api/v1/projects/shop' },
        test.bearer(secret),
      );
      expect(response.statusCode).toBe(403);
    }
  });

  it('revokes a key at once', async () => {
    const created = (await create({ name: 'temporary', kind: 'admin' })).json();
    expect(
      (await test.request({ method: 'GET', url: '/api/v1/projects/shop' }, test.bearer(created.secret)))
        .statusCode,
    ).toBe(200);
    const revoked = await test.request(
      { method: 'DELETE', url: `/api/v1/projects/shop/api-keys/${created.id}` },
      owner,
    );
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json().revokedAt).toEqual(expect.any(String));
    const after = await test.request(
      { method: 'GET', url: '/api/v1/projects/shop' },
      test.bearer(created.secret),
    );
    expect(after.statusCode).toBe(401);
    expect(after.json().error.message).toContain('revoked');
    const missing = await test.request(
      { method: 'DELETE', url: `/api/v1/projects/blog/api-keys/${created.id}` },
      owner,
    );
    expect(missing.statusCode).toBe(404);
  });
});
