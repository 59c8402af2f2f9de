import { OFREPProvider } from '@openfeature/ofrep-provider';
import { OpenFeature } from '@openfeature/server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Credentials, createTestApp, type TestApp } from '../../test-support/test-app.js';

/** The published OFREP provider, used as any OpenFeature application would, against a running Cleave. */
describe('OpenFeature OFREP provider against Cleave', () => {
  let test: TestApp;
  let owner: Credentials;
  let baseUrl: string;
  let serverKey: string;

  beforeAll(async () => {
    test = await createTestApp('sqlite');
    owner = await test.signUpOwner();
    await test.request(
      { method: 'POST', url: '/api/v1/projects', payload: { key: 'shop', name: 'Shop' } },
      owner,
    );
    serverKey = (
      await test.request(
        {
          method: 'POST',
          url: '/api/v1/projects/shop/api-keys',
          payload: { name: 'backend', kind: 'server', environment: 'production' },
        },
        owner,
      )
    ).json().secret;
    await test.request(
      {
        method: 'POST',
        url: '/api/v1/projects/shop/flags',
        payload: {
          key: 'discount',
          type: 'number',
          variants: [
            { key: 'none', value: 0 },
            { key: 'ten', value: 10 },
          ],
          defaultVariant: 'none',
          offVariant: 'none',
          environments: {
            production: {
              enabled: true,
              rules: [
                {
                  id: 'vip',
                  type: 'force',
                  variant: 'ten',
                  conditions: [{ attribute: 'tier', operator: 'eq', value: 'vip' }],
                },
              ],
            },
          },
        },
      },
      owner,
    );
    baseUrl = await test.app.listen({ port: 0, host: '127.0.0.1' });
    await OpenFeature.setProviderAndWait(
      new OFREPProvider({ baseUrl, headers: { authorization: `Bearer ${serverKey}` } }),
    );
  });
  afterAll(async () => {
    await OpenFeature.close();
    await test?.close();
  });

  it('resolves values, variants and reasons through the OpenFeature client', async () => {
    const client = OpenFeature.getClient();
    const vip = await client.getNumberDetails('discount', -1, { targetingKey: 'user-1', tier: 'vip' });
    expect(vip).toMatchObject({ value: 10, variant: 'ten', reason: 'TARGETING_MATCH' });
    const regular = await client.getNumberDetails('discount', -1, { targetingKey: 'user-2', tier: 'basic' });
    expect(regular).toMatchObject({ value: 0, variant: 'none', reason: 'DEFAULT' });
  });

  it('reports a missing flag as FLAG_NOT_FOUND and serves the caller default', async () => {
    const details = await OpenFeature.getClient().getBooleanDetails('nope', true, { targetingKey: 'user-1' });
    expect(details).toMatchObject({ value: true, reason: 'ERROR', errorCode: 'FLAG_NOT_FOUND' });
  });

  it('reports a type mismatch and serves the caller default', async () => {
    const details = await OpenFeature.getClient().getStringDetails('discount', 'x', {
      targetingKey: 'user-1',
    });
    expect(details).toMatchObject({ value: 'x', reason: 'ERROR', errorCode: 'TYPE_MISMATCH' });
  });
});
