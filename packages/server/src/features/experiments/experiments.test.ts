import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test-support/databases.js';
import { type Credentials, createTestApp, type TestApp } from '../../test-support/test-app.js';

describe.each(DIALECTS)('experiments and their lifecycle (%s)', (dialect) => {
  let test: TestApp;
  let owner: Credentials;
  const base = '/api/v1/projects/shop';
  let experimentVersion = 1;

  beforeAll(async () => {
    test = await createTestApp(dialect);
    owner = await test.signUpOwner();
    await test.request(
      { method: 'POST', url: '/api/v1/projects', payload: { key: 'shop', name: 'Shop' } },
      owner,
    );
    await test.request(
      {
        method: 'POST',
        url: `${base}/flags`,
        payload: {
          key: 'checkout-cta',
          type: 'string',
          variants: [
            { key: 'control', value: 'Buy' },
            { key: 'treatment', value: 'Buy now' },
          ],
          defaultVariant: 'control',
          offVariant: 'control',
        },
      },
      owner,
    );
  });
  afterAll(async () => {
    await test?.close();
  });

  const post = (url: string, payload: Record<string, unknown>) =>
    test.request({ method: 'POST', url, payload }, owner);

  it('creates a draft experiment and refuses weights that do not sum to 1', async () => {
    const bad = await post(`${base}/experiments`, {
      key: 'cta-copy',
      variations: [
        { key: 'control', weight: 0.5 },
        { key: 'treatment', weight: 0.6 },
      ],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.issues).toEqual([expect.objectContaining({ path: '/body/variations' })]);

    const created = await post(`${base}/experiments`, {
      key: 'cta-copy',
      name: 'CTA copy',
      hypothesis: 'Urgent copy raises purchases',
      variations: [
        { key: 'control', weight: 0.5 },
        { key: 'treatment', weight: 0.5 },
      ],
      metrics: { primary: ['purchase'] },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      status: 'draft',
      phases: [],
      metrics: { primary: ['purchase'], secondary: [], guardrail: [] },
    });
  });

  it('refuses to start without existing metrics and a flag that runs it, saying what is missing', async () => {
    const response = await post(`${base}/experiments/cta-copy/start`, { version: experimentVersion });
    expect(response.statusCode).toBe(400);
    const messages = response.json().error.details.issues.map((issue: { message: string }) => issue.message);
    expect(messages).toEqual([
      'no active metric "purchase"',
      expect.stringContaining('no flag runs "cta-copy"'),
    ]);
  });

  it('starts once the metric exists and a flag rule runs it', async () => {
    const metric = await post(`${base}/metrics`, {
      key: 'purchase',
      type: 'proportion',
      numerator: { event: 'purchase' },
    });
    expect(metric.statusCode).toBe(201);
    const rule = await post(`${base}/flags/checkout-cta/environments/production/rules`, {
      rule: { id: 'cta-test', type: 'experiment', experimentKey: 'cta-copy' },
      version: 1,
    });
    expect(rule.statusCode).toBe(200);
    const started = await post(`${base}/experiments/cta-copy/start`, { version: experimentVersion });
    expect(started.statusCode).toBe(200);
    expect(started.json()).toMatchObject({ status: 'running', phases: [{ startedAt: expect.any(String) }] });
    experimentVersion = started.json().version;
  });

  it('refuses to change assignment inputs while running and says how to restart', async () => {
    const response = await test.request(
      {
        method: 'PATCH',
        url: `${base}/experiments/cta-copy`,
        payload: {
          variations: [
            { key: 'control', weight: 0.2 },
            { key: 'treatment', weight: 0.8 },
          ],
          version: experimentVersion,
        },
      },
      owner,
    );
    expect(response.statusCode).toBe(409);
    expect(response.json().error).toMatchObject({
      code: 'experiment_running',
      details: { fields: ['variations'] },
    });
    expect(response.json().error.message).toContain('Stop it');
    const rename = await test.request(
      {
        method: 'PATCH',
        url: `${base}/experiments/cta-copy`,
        payload: { name: 'CTA copy test', version: experimentVersion },
      },
      owner,
    );
    expect(rename.statusCode).toBe(200);
    experimentVersion = rename.json().version;
  });

  it('refuses to archive a metric a running experiment uses', async () => {
    const response = await post(`${base}/metrics/purchase/archive`, { version: 1 });
    expect(response.statusCode).toBe(409);
    expect(response.json().error.details).toEqual({ experiments: ['cta-copy'] });
  });

  it('stops with a ship decision and rolls the winner out through the flag', async () => {
    const missingWinner = await post(`${base}/experiments/cta-copy/stop`, {
      outcome: 'ship',
      version: experimentVersion,
    });
    expect(missingWinner.statusCode).toBe(400);
    const stopped = await post(`${base}/experiments/cta-copy/stop`, {
      outcome: 'ship',
      variation: 'treatment',
      reason: '+4% purchases',
      version: experimentVersion,
    });
    expect(stopped.statusCode).toBe(200);
    expect(stopped.json()).toMatchObject({
      status: 'stopped',
      decision: { outcome: 'ship', variation: 'treatment', reason: '+4% purchases' },
      phases: [{ startedAt: expect.any(String), stoppedAt: expect.any(String) }],
    });
    const flag = (await test.request({ method: 'GET', url: `${base}/flags/checkout-cta` }, owner)).json();
    expect(flag.environments.production.rules).toEqual([
      expect.objectContaining({ id: 'cta-test', type: 'force', variant: 'treatment' }),
    ]);
    const audit = (await test.request({ method: 'GET', url: `${base}/audit?limit=2` }, owner)).json();
    expect(audit.items.map((record: { action: string }) => record.action).sort()).toEqual([
      'experiment.stopped',
      'flag.updated',
    ]);
    experimentVersion = stopped.json().version;
  });

  it('archives a stopped experiment and restores it as stopped', async () => {
    const archived = await post(`${base}/experiments/cta-copy/archive`, { version: experimentVersion });
    expect(archived.statusCode).toBe(200);
    expect(archived.json().status).toBe('archived');
    const restored = await post(`${base}/experiments/cta-copy/restore`, { version: archived.json().version });
    expect(restored.json().status).toBe('stopped');
  });

  it('refuses overlapping ranges in one layer', async () => {
    const layer = await post(`${base}/layers`, { key: 'checkout' });
    expect(layer.statusCode).toBe(201);
    const first = await post(`${base}/experiments`, {
      key: 'first',
      layer: { key: 'checkout', range: { start: 0, end: 0.5 } },
      variations: [{ key: 'a', weight: 1 }],
    });
    expect(first.statusCode).toBe(201);
    const overlapping = await post(`${base}/experiments`, {
      key: 'second',
      layer: { key: 'checkout', range: { start: 0.4, end: 0.9 } },
      variations: [{ key: 'a', weight: 1 }],
    });
    expect(overlapping.statusCode).toBe(400);
    expect(overlapping.json().error.details.issues[0].path).toMatch(/^\/body\/layer/);
  });
});
