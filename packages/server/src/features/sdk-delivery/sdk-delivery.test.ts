import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test-support/databases.js';
import { connectSse } from '../../test-support/sse-client.js';
import { type Credentials, createTestApp, type TestApp } from '../../test-support/test-app.js';

describe.each(DIALECTS)('SDK delivery, remote evaluation and OFREP (%s)', (dialect) => {
  let test: TestApp;
  let owner: Credentials;
  let sdkKey: string;
  let serverKey: string;
  let adminKey: string;
  let baseUrl: string;
  const project = '/api/v1/projects/shop';

  const flagVersion = async (key: string) =>
    (await test.request({ method: 'GET', url: `${project}/flags/${key}` }, owner)).json().version as number;

  beforeAll(async () => {
    test = await createTestApp(dialect);
    owner = await test.signUpOwner();
    await test.request(
      { method: 'POST', url: '/api/v1/projects', payload: { key: 'shop', name: 'Shop' } },
      owner,
    );
    const key = async (kind: string, environment?: string) =>
      (
        await test.request(
          {
            method: 'POST',
            url: `${project}/api-keys`,
            payload: { name: kind, kind, ...(environment && { environment }) },
          },
          owner,
        )
      ).json().secret as string;
    sdkKey = await key('sdk', 'production');
    serverKey = await key('server', 'production');
    adminKey = await key('admin');
    await test.request(
      {
        method: 'POST',
        url: `${project}/flags`,
        payload: {
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
                  id: 'nl',
                  type: 'force',
                  variant: 'treatment',
                  conditions: [{ attribute: 'country', operator: 'eq', value: 'NL' }],
                },
              ],
            },
          },
        },
      },
      owner,
    );
    baseUrl = await test.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await test?.close();
  });

  it('serves the environment payload with an ETag, and 304 when it has not changed', async () => {
    const response = await test.request({ method: 'GET', url: '/api/v1/sdk/config' }, test.bearer(sdkKey));
    expect(response.statusCode).toBe(200);
    const payload = response.json();
    expect(payload).toMatchObject({
      schemaVersion: 1,
      hashVersion: 1,
      environment: 'production',
      version: expect.any(Number),
    });
    expect(payload.flags).toEqual([expect.objectContaining({ key: 'checkout-cta', enabled: true })]);
    expect(response.headers.etag).toBe(`"${payload.version}"`);
    const again = await test.request(
      {
        method: 'GET',
        url: '/api/v1/sdk/config',
        headers: { 'if-none-match': response.headers.etag as string },
      },
      test.bearer(sdkKey),
    );
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
  });

  it('refuses admin keys, people and anonymous callers on SDK endpoints', async () => {
    expect(
      (await test.request({ method: 'GET', url: '/api/v1/sdk/config' }, test.bearer(adminKey))).statusCode,
    ).toBe(403);
    expect((await test.request({ method: 'GET', url: '/api/v1/sdk/config' }, owner)).statusCode).toBe(403);
    expect((await test.request({ method: 'GET', url: '/api/v1/sdk/config' })).statusCode).toBe(401);
  });

  it('moves to a new version and ETag after a change to the environment, and only then', async () => {
    const before = await test.request({ method: 'GET', url: '/api/v1/sdk/config' }, test.bearer(sdkKey));
    const staging = await test.request(
      {
        method: 'POST',
        url: `${project}/flags/checkout-cta/environments/staging/toggle`,
        payload: { enabled: true, version: await flagVersion('checkout-cta') },
      },
      owner,
    );
    expect(staging.statusCode).toBe(200);
    const unchanged = await test.request({ method: 'GET', url: '/api/v1/sdk/config' }, test.bearer(sdkKey));
    expect(unchanged.headers.etag).toBe(before.headers.etag);
    await test.request(
      {
        method: 'POST',
        url: `${project}/flags/checkout-cta/environments/production/toggle`,
        payload: { enabled: false, version: await flagVersion('checkout-cta') },
      },
      owner,
    );
    const after = await test.request({ method: 'GET', url: '/api/v1/sdk/config' }, test.bearer(sdkKey));
    expect(after.headers.etag).not.toBe(before.headers.etag);
    expect(after.json().flags[0].enabled).toBe(false);
    await test.request(
      {
        method: 'POST',
        url: `${project}/flags/checkout-cta/environments/production/toggle`,
        payload: { enabled: true, version: await flagVersion('checkout-cta') },
      },
      owner,
    );
  });

  it('leaves rules of experiments that are not running out of the payload', async () => {
    await test.request(
      {
        method: 'POST',
        url: `${project}/metrics`,
        payload: { key: 'purchase', type: 'proportion', numerator: { event: 'purchase' } },
      },
      owner,
    );
    await test.request(
      {
        method: 'POST',
        url: `${project}/experiments`,
        payload: {
          key: 'cta-test',
          variations: [
            { key: 'control', weight: 0.5 },
            { key: 'treatment', weight: 0.5 },
          ],
          metrics: { primary: ['purchase'] },
        },
      },
      owner,
    );
    await test.request(
      {
        method: 'POST',
        url: `${project}/flags/checkout-cta/environments/production/rules`,
        payload: {
          rule: { id: 'exp', type: 'experiment', experimentKey: 'cta-test' },
          version: await flagVersion('checkout-cta'),
        },
      },
      owner,
    );
    const draft = (
      await test.request({ method: 'GET', url: '/api/v1/sdk/config' }, test.bearer(sdkKey))
    ).json();
    expect(draft.flags[0].rules.map((rule: { id: string }) => rule.id)).toEqual(['nl']);
    expect(draft.experiments).toEqual([]);

    const started = await test.request(
      { method: 'POST', url: `${project}/experiments/cta-test/start`, payload: { version: 1 } },
      owner,
    );
    expect(started.statusCode).toBe(200);
    const running = (
      await test.request({ method: 'GET', url: '/api/v1/sdk/config' }, test.bearer(sdkKey))
    ).json();
    expect(running.flags[0].rules.map((rule: { id: string }) => rule.id)).toEqual(['nl', 'exp']);
    expect(running.experiments).toEqual([expect.objectContaining({ key: 'cta-test' })]);
    // Management-only fields never reach the public payload.
    expect(JSON.stringify(running)).not.toContain('purchase');
  });

  it('evaluates remotely with the same engine, and explains why', async () => {
    const response = await test.request(
      {
        method: 'POST',
        url: '/api/v1/evaluate',
        payload: { context: { targetingKey: 'user-1', country: 'DE' }, explain: true },
      },
      test.bearer(serverKey),
    );
    expect(response.statusCode).toBe(200);
    const [details] = response.json().flags;
    expect(details).toMatchObject({
      key: 'checkout-cta',
      reason: 'SPLIT',
      metadata: { experimentKey: 'cta-test', ruleId: 'exp' },
    });
    expect(JSON.stringify(details.trace)).toContain('country');
    const nl = await test.request(
      {
        method: 'POST',
        url: '/api/v1/evaluate',
        payload: { context: { targetingKey: 'user-1', country: 'NL' }, flags: ['checkout-cta', 'nope'] },
      },
      test.bearer(sdkKey),
    );
    expect(nl.json().flags).toEqual([
      expect.objectContaining({ key: 'checkout-cta', value: 'Buy now', reason: 'TARGETING_MATCH' }),
      expect.objectContaining({ key: 'nope', errorCode: 'FLAG_NOT_FOUND' }),
    ]);
  });

  it('speaks OFREP for one flag and in bulk, with OFREP error bodies', async () => {
    const one = await test.request(
      {
        method: 'POST',
        url: '/ofrep/v1/evaluate/flags/checkout-cta',
        payload: { context: { targetingKey: 'u', country: 'NL' } },
      },
      test.bearer(serverKey),
    );
    expect(one.statusCode).toBe(200);
    expect(one.json()).toEqual({
      key: 'checkout-cta',
      value: 'Buy now',
      reason: 'TARGETING_MATCH',
      variant: 'treatment',
      metadata: { ruleId: 'nl', ruleIndex: 0 },
    });
    const missing = await test.request(
      { method: 'POST', url: '/ofrep/v1/evaluate/flags/nope', payload: { context: { targetingKey: 'u' } } },
      test.bearer(serverKey),
    );
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ key: 'nope', errorCode: 'FLAG_NOT_FOUND' });

    const invalid = await test.request(
      { method: 'POST', url: '/ofrep/v1/evaluate/flags/checkout-cta', payload: { context: 'not an object' } },
      test.bearer(serverKey),
    );
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json()).toMatchObject({
      errorCode: 'INVALID_CONTEXT',
      errorDetails: expect.stringContaining('/context'),
    });
    const noTargetingKey = await test.request(
      {
        method: 'POST',
        url: '/ofrep/v1/evaluate/flags/checkout-cta',
        payload: { context: { country: 'DE' } },
      },
      test.bearer(serverKey),
    );
    expect(noTargetingKey.statusCode).toBe(400);
    expect(noTargetingKey.json()).toMatchObject({ key: 'checkout-cta', errorCode: 'TARGETING_KEY_MISSING' });

    const bulk = await test.request(
      { method: 'POST', url: '/ofrep/v1/evaluate/flags', payload: { context: { targetingKey: 'u' } } },
      test.bearer(sdkKey),
    );
    expect(bulk.statusCode).toBe(200);
    expect(bulk.json().flags).toEqual([expect.objectContaining({ key: 'checkout-cta' })]);
    expect(bulk.json().eventStreams).toEqual([
      {
        type: 'sse',
        url: expect.stringMatching(/\/ofrep\/v1\/events\?key=clv_sdk_/),
        inactivityDelaySec: 120,
      },
    ]);
    const notModified = await test.request(
      {
        method: 'POST',
        url: '/ofrep/v1/evaluate/flags',
        payload: { context: { targetingKey: 'u' } },
        headers: { 'if-none-match': bulk.headers.etag as string },
      },
      test.bearer(sdkKey),
    );
    expect(notModified.statusCode).toBe(304);
    const otherContext = await test.request(
      {
        method: 'POST',
        url: '/ofrep/v1/evaluate/flags',
        payload: { context: { targetingKey: 'v' } },
        headers: { 'if-none-match': bulk.headers.etag as string },
      },
      test.bearer(sdkKey),
    );
    expect(otherContext.statusCode).toBe(200);
  });

  it('streams the payload on connect and after each change, and resumes from Last-Event-ID', async () => {
    const stream = await connectSse(`${baseUrl}/api/v1/sdk/stream`, { authorization: `Bearer ${sdkKey}` });
    expect(stream.status).toBe(200);
    const first = await stream.next((event) => event.event === 'config');
    const firstVersion = Number(first.id);
    expect(JSON.parse(first.data).version).toBe(firstVersion);

    await test.request(
      {
        method: 'POST',
        url: `${project}/flags/checkout-cta/environments/production/toggle`,
        payload: { enabled: false, version: await flagVersion('checkout-cta') },
      },
      owner,
    );
    const changed = await stream.next((event) => event.event === 'config' && Number(event.id) > firstVersion);
    expect(JSON.parse(changed.data).flags[0].enabled).toBe(false);
    stream.close();

    // A client that already has the current version gets no initial payload, only later changes.
    const resumed = await connectSse(`${baseUrl}/api/v1/sdk/stream?key=${sdkKey}`, {
      'last-event-id': changed.id ?? '',
    });
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(resumed.events).toEqual([]);
    await test.request(
      {
        method: 'POST',
        url: `${project}/flags/checkout-cta/environments/production/toggle`,
        payload: { enabled: true, version: await flagVersion('checkout-cta') },
      },
      owner,
    );
    const next = await resumed.next();
    expect(Number(next.id)).toBeGreaterThan(Number(changed.id));
    resumed.close();
  });

  it('notifies OFREP web providers with refetchEvaluation events carrying the new ETag', async () => {
    const stream = await connectSse(`${baseUrl}/ofrep/v1/events?key=${sdkKey}`);
    expect(stream.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await test.request(
      {
        method: 'POST',
        url: `${project}/flags/checkout-cta/environments/production/toggle`,
        payload: { enabled: false, version: await flagVersion('checkout-cta') },
      },
      owner,
    );
    const event = await stream.next();
    const message = JSON.parse(event.data);
    expect(message).toEqual({ type: 'refetchEvaluation', etag: expect.stringMatching(/^"\d+"$/) });
    const config = await test.request({ method: 'GET', url: '/api/v1/sdk/config' }, test.bearer(sdkKey));
    expect(message.etag).toBe(config.headers.etag);
    stream.close();
  });

  it('refuses server keys in the query string (only browser-safe sdk keys may travel in URLs)', async () => {
    const response = await fetch(`${baseUrl}/api/v1/sdk/stream?key=${serverKey}`);
    expect(response.status).toBe(401);
    await response.body?.cancel();
  });
});

describe('CORS', () => {
  let test: TestApp;
  beforeAll(async () => {
    test = await createTestApp('sqlite');
  });
  afterAll(async () => {
    await test?.close();
  });

  it('lets browsers on any origin call SDK endpoints with an sdk key', async () => {
    const preflight = await test.request({
      method: 'OPTIONS',
      url: '/api/v1/events',
      headers: {
        origin: 'https://shop.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('https://shop.example');
    expect(String(preflight.headers['access-control-allow-headers'])).toContain('authorization');
    expect(preflight.headers['access-control-allow-credentials']).toBeUndefined();
    const config = await test.request({
      method: 'GET',
      url: '/api/v1/sdk/config',
      headers: { origin: 'https://shop.example' },
    });
    expect(config.headers['access-control-allow-origin']).toBe('https://shop.example');
    expect(String(config.headers['access-control-expose-headers'])).toContain('etag');
  });

  it('keeps the management API same-origin', async () => {
    const response = await test.request({
      method: 'GET',
      url: '/api/v1/projects',
      headers: { origin: 'https://evil.example' },
    });
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });
});
