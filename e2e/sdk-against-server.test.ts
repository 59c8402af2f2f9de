import { createClient } from '@cleave/sdk';
import { type Credentials, createTestApp, type TestApp } from '@cleave/server/tooling';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The whole loop with real parts: the management API defines a flag and an experiment, the SDK
 * streams the config from a running server, evaluates locally, sees changes live, and its exposures
 * and tracked events land in the events store.
 */
describe('the JavaScript SDK against a running Cleave server', () => {
  let test: TestApp;
  let owner: Credentials;
  let apiHost: string;
  let sdkKey: string;
  const project = '/api/v1/projects/shop';

  const waitFor = async (condition: () => Promise<boolean> | boolean, timeoutMs = 10_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error('condition not met in time');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };

  beforeAll(async () => {
    test = await createTestApp('sqlite');
    owner = await test.signUpOwner();
    const post = async (url: string, payload: unknown) => {
      const response = await test.request(
        { method: 'POST', url, payload: payload as Record<string, unknown> },
        owner,
      );
      if (response.statusCode >= 300) throw new Error(`${url}: ${response.statusCode} ${response.body}`);
      return response.json();
    };
    await post('/api/v1/projects', { key: 'shop', name: 'Shop' });
    sdkKey = (await post(`${project}/api-keys`, { name: 'web', kind: 'sdk', environment: 'production' }))
      .secret;
    await post(`${project}/metrics`, {
      key: 'purchase',
      type: 'proportion',
      numerator: { event: 'purchase' },
    });
    await post(`${project}/experiments`, {
      key: 'cta-copy',
      variations: [
        { key: 'control', weight: 0.5 },
        { key: 'treatment', weight: 0.5 },
      ],
      metrics: { primary: ['purchase'] },
    });
    await post(`${project}/flags`, {
      key: 'checkout-cta',
      type: 'string',
      variants: [
        { key: 'control', value: 'Buy' },
        { key: 'treatment', value: 'Buy now' },
      ],
      defaultVariant: 'control',
      offVariant: 'control',
      environments: {
        production: {
          enabled: true,
          rules: [
            {
              id: 'staff',
              type: 'force',
              variant: 'treatment',
              conditions: [{ attribute: 'email', operator: 'ends_with', value: '@shop.example' }],
            },
            { id: 'test', type: 'experiment', experimentKey: 'cta-copy' },
          ],
        },
      },
    });
    await post(`${project}/experiments/cta-copy/start`, { version: 1 });
    apiHost = await test.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await test?.close();
  });

  it('evaluates locally, follows changes live, and delivers exposures and tracked events', async () => {
    const client = createClient({ sdkKey, apiHost, events: { flushIntervalMs: 100 } });
    const ready = await client.ready();
    expect(ready).toBe('ready');

    expect(
      client.getStringValue('checkout-cta', 'fallback', {
        targetingKey: 'staff-1',
        email: 'ann@shop.example',
      }),
    ).toBe('Buy now');
    const units = Array.from({ length: 40 }, (_, index) => `user-${index}`);
    const variations = units.map((unit) => client.getVariant('cta-copy', { targetingKey: unit }));
    expect(new Set(variations)).toEqual(new Set(['control', 'treatment']));
    // The server's evaluation of the same unit agrees with the SDK's.
    const remote = await test.request(
      {
        method: 'POST',
        url: '/api/v1/evaluate',
        payload: { context: { targetingKey: 'user-7' }, flags: ['checkout-cta'] },
      },
      test.bearer(sdkKey),
    );
    expect(remote.json().flags[0].value).toBe(
      client.getStringValue('checkout-cta', 'fallback', { targetingKey: 'user-7' }),
    );

    // Evaluating the same unit again sends no second exposure.
    for (const unit of units) client.getStringValue('checkout-cta', 'fallback', { targetingKey: unit });
    client.track('purchase', { value: 30, context: { targetingKey: 'user-1' } });
    await client.flush();
    await waitFor(async () => (await test.eventStore.count()) >= 41);
    const rows = await test.database.database.db
      .selectFrom('events')
      .select(['type', 'unit_id', 'experiment'])
      .execute();
    expect(rows.filter((row) => row.type === 'exposure')).toHaveLength(40);
    expect(rows.filter((row) => row.type === 'track')).toEqual([
      { type: 'track', unit_id: 'user-1', experiment: null },
    ]);

    const changes: string[][] = [];
    client.on('change', (change) => changes.push([...change.flagKeys]));
    const flag = (await test.request({ method: 'GET', url: `${project}/flags/checkout-cta` }, owner)).json();
    const toggled = await test.request(
      {
        method: 'POST',
        url: `${project}/flags/checkout-cta/environments/production/toggle`,
        payload: { enabled: false, version: flag.version },
      },
      owner,
    );
    expect(toggled.statusCode).toBe(200);
    await waitFor(() => changes.length > 0);
    expect(changes[0]).toContain('checkout-cta');
    expect(
      client.getStringValue('checkout-cta', 'fallback', {
        targetingKey: 'staff-1',
        email: 'ann@shop.example',
      }),
    ).toBe('Buy');
    await client.close();
  });

  it('starts from a bootstrap payload with the same answers as the server gives', async () => {
    const payload = (
      await test.request({ method: 'GET', url: '/api/v1/sdk/config' }, test.bearer(sdkKey))
    ).json();
    const offline = createClient({ sdkKey, offline: true, bootstrap: payload });
    await offline.ready();
    const remote = await test.request(
      { method: 'POST', url: '/api/v1/evaluate', payload: { context: { targetingKey: 'user-3' } } },
      test.bearer(sdkKey),
    );
    for (const details of remote.json().flags) {
      expect(offline.getStringDetails(details.key, 'fallback', { targetingKey: 'user-3' })).toMatchObject({
        value: details.value,
      });
    }
    await offline.close();
  });
});
