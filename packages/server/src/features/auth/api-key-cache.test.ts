import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Credentials, createTestApp, type TestApp } from '../../test-support/test-app.js';

/**
 * SDKs present their key on every request: a key looked up once is answered from memory, without
 * a promise, a digest or a new principal, until it expires or is revoked.
 */
describe('API key cache', () => {
  let test: TestApp;
  let owner: Credentials;
  beforeAll(async () => {
    test = await createTestApp('sqlite');
    owner = await test.signUpOwner();
    await test.request(
      { method: 'POST', url: '/api/v1/projects', payload: { key: 'shop', name: 'Shop' } },
      owner,
    );
  });
  afterAll(async () => {
    await test?.close();
  });

  const createKey = async () =>
    (
      await test.request(
        {
          method: 'POST',
          url: '/api/v1/projects/shop/api-keys',
          payload: { name: 'web', kind: 'sdk', environment: 'production' },
        },
        owner,
      )
    ).json() as { id: string; secret: string };

  it('answers a known key synchronously with the one principal built at lookup', async () => {
    const { id, secret } = await createKey();
    const first = test.services.auth.principalFromApiKey(secret);
    expect(first).toBeInstanceOf(Promise);
    const principal = await first;
    expect(principal).toMatchObject({ type: 'api_key', keyId: id, kind: 'sdk' });
    const again = test.services.auth.principalFromApiKey(secret);
    expect(again).toBe(principal);
    expect(Object.isFrozen(again)).toBe(true);
  });

  it('refuses a revoked key at once, and keeps refusing it', async () => {
    const { id, secret } = await createKey();
    await test.services.auth.principalFromApiKey(secret);
    const revoked = await test.request(
      { method: 'DELETE', url: `/api/v1/projects/shop/api-keys/${id}` },
      owner,
    );
    expect(revoked.statusCode).toBe(200);
    await expect(test.services.auth.principalFromApiKey(secret)).rejects.toThrow('revoked');
    await expect(test.services.auth.principalFromApiKey(secret)).rejects.toThrow('revoked');
  });

  it('refuses malformed and unknown keys, remembering neither', async () => {
    await expect(test.services.auth.principalFromApiKey('clv_sdk_short')).rejects.toThrow('malformed');
    const unknown = `clv_sdk_${'x'.repeat(43)}`;
    await expect(test.services.auth.principalFromApiKey(unknown)).rejects.toThrow('not valid');
    const again = test.services.auth.principalFromApiKey(unknown);
    expect(again).toBeInstanceOf(Promise);
    await expect(again).rejects.toThrow('not valid');
  });

  it('serves SDK requests with the cached key and environment', async () => {
    const { secret } = await createKey();
    for (let index = 0; index < 3; index++) {
      const response = await test.request({ method: 'GET', url: '/api/v1/sdk/config' }, test.bearer(secret));
      expect(response.statusCode).toBe(200);
    }
    const wrongScheme = await test.request({
      method: 'GET',
      url: '/api/v1/sdk/config',
      headers: { authorization: `Basic ${secret}` },
    });
    expect(wrongScheme.statusCode).toBe(401);
    const spaced = await test.request({
      method: 'GET',
      url: '/api/v1/sdk/config',
      headers: { authorization: `bearer   ${secret}` },
    });
    expect(spaced.statusCode).toBe(200);
  });
});
