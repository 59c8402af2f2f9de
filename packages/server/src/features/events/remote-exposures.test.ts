import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test-support/databases.js';
import { type Credentials, createTestApp, type TestApp } from '../../test-support/test-app.js';

describe.each(DIALECTS)('exposures recorded by remote evaluation (%s)', (dialect) => {
  let test: TestApp;
  let owner: Credentials;
  let serverKey: Credentials;
  let sdkKey: Credentials;
  const project = '/api/v1/projects/shop';

  beforeAll(async () => {
    test = await createTestApp(dialect);
    owner = await test.signUpOwner();
    await test.createProject(owner);
    serverKey = await test.environmentKey(owner, { kind: 'server' });
    sdkKey = await test.environmentKey(owner, { kind: 'sdk' });
    const post = (url: string, payload: Record<string, unknown>) =>
      test.request({ method: 'POST', url: `${project}${url}`, payload }, owner);
    await post('/flags', {
      key: 'checkout-cta',
      type: 'string',
      variants: [
        { key: 'control', value: 'Buy' },
        { key: 'treatment', value: 'Buy now' },
      ],
      defaultVariant: 'control',
      offVariant: 'control',
    });
    await post('/flags', {
      key: 'banner',
      type: 'boolean',
      variants: [{ key: 'on', value: true }],
      defaultVariant: 'on',
      offVariant: 'on',
    });
    await post('/metrics', { key: 'purchase', type: 'proportion', numerator: { event: 'purchase' } });
    await post('/experiments', {
      key: 'cta-test',
      variations: [
        { key: 'control', weight: 0.5 },
        { key: 'treatment', weight: 0.5 },
      ],
      metrics: { primary: ['purchase'] },
    });
    await post('/flags/checkout-cta/environments/production/rules', {
      rule: { id: 'exp', type: 'experiment', experimentKey: 'cta-test' },
      version: 1,
    });
    expect((await post('/experiments/cta-test/start', { version: 1 })).statusCode).toBe(200);
    for (const [flag, version] of [
      ['checkout-cta', 2],
      ['banner', 1],
    ] as const) {
      const toggled = await post(`/flags/${flag}/environments/production/toggle`, { enabled: true, version });
      expect(toggled.statusCode).toBe(200);
    }
  });
  afterAll(async () => {
    await test?.close();
  });

  const exposures = () =>
    test.database.database.db
      .selectFrom('events')
      .select(['unit_id', 'experiment', 'variant', 'properties'])
      .where('type', '=', 'exposure')
      .orderBy('unit_id')
      .execute();

  it('records the assignment of /evaluate as an exposure, once per unit, experiment and variant a day', async () => {
    for (let repeat = 0; repeat < 3; repeat++) {
      const response = await test.request(
        {
          method: 'POST',
          url: '/api/v1/evaluate',
          payload: { context: { targetingKey: 'user-1', country: 'NL' } },
        },
        serverKey,
      );
      expect(response.statusCode).toBe(200);
    }
    await test.exposures.flush();
    const rows = await exposures();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ unit_id: 'user-1', experiment: 'cta-test' });
    expect(['control', 'treatment']).toContain(rows[0]?.variant);
    // The context's attributes travel with it, for breakdowns by dimension.
    expect(JSON.parse(rows[0]?.properties ?? '{}')).toEqual({ country: 'NL' });
  });

  it('records OFREP evaluations too, single flag and bulk, and nothing for flags without an experiment', async () => {
    const single = await test.request(
      {
        method: 'POST',
        url: '/ofrep/v1/evaluate/flags/checkout-cta',
        payload: { context: { targetingKey: 'user-2' } },
      },
      sdkKey,
    );
    expect(single.statusCode).toBe(200);
    const bulk = await test.request(
      { method: 'POST', url: '/ofrep/v1/evaluate/flags', payload: { context: { targetingKey: 'user-3' } } },
      sdkKey,
    );
    expect(bulk.statusCode).toBe(200);
    const banner = await test.request(
      {
        method: 'POST',
        url: '/ofrep/v1/evaluate/flags/banner',
        payload: { context: { targetingKey: 'user-4' } },
      },
      sdkKey,
    );
    expect(banner.statusCode).toBe(200);
    await test.exposures.flush();
    expect((await exposures()).map((row) => row.unit_id)).toEqual(['user-1', 'user-2', 'user-3']);
  });

  it('feeds the experiment analysis', async () => {
    const accepted = await test.request(
      { method: 'POST', url: `${project}/experiments/cta-test/analysis` },
      owner,
    );
    const jobId = accepted.json().jobId;
    for (let tries = 0; tries < 200; tries++) {
      const job = (await test.request({ method: 'GET', url: `${project}/jobs/${jobId}` }, owner)).json();
      if (job.status === 'succeeded') break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const results = (
      await test.request({ method: 'GET', url: `${project}/experiments/cta-test/results` }, owner)
    ).json();
    const units = results.health.units as Record<string, number>;
    expect((units.control ?? 0) + (units.treatment ?? 0)).toBe(3);
  });
});
