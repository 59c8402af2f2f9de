import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Credentials, createTestApp, type TestApp } from '../../test-support/test-app.js';

const project = '/api/v1/projects/shop';

/** Waits until no analysis of the project is queued or running. */
async function settle(test: TestApp) {
  for (let tries = 0; tries < 400; tries++) {
    const active = await test.database.database.db
      .selectFrom('analysis_jobs')
      .select('id')
      .where('status', 'in', ['queued', 'running'])
      .execute();
    if (active.length === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('analyses did not finish');
}

describe('scheduled refresh and the end of an experiment', () => {
  let test: TestApp;
  let owner: Credentials;

  beforeAll(async () => {
    test = await createTestApp('sqlite', { webhookNetwork: { allowPrivateNetworks: true } });
    owner = await test.signUpOwner();
    await test.createProject(owner);
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
    await post('/metrics', { key: 'purchase', type: 'proportion', numerator: { event: 'purchase' } });
    for (const [key, onEnd] of [
      ['stops-itself', 'stop'],
      ['just-tells', 'notify'],
    ] as const) {
      await post('/experiments', {
        key,
        variations: [
          { key: 'control', weight: 0.5 },
          { key: 'treatment', weight: 0.5 },
        ],
        metrics: { primary: ['purchase'] },
        analysis: { plannedUnits: 4, onEnd, refreshMinutes: 30 },
      });
    }
    const flag = (await test.request({ method: 'GET', url: `${project}/flags/checkout-cta` }, owner)).json();
    let version = flag.version as number;
    for (const key of ['stops-itself', 'just-tells']) {
      const rule = await post('/flags/checkout-cta/environments/production/rules', {
        rule: { id: key, type: 'experiment', experimentKey: key },
        version,
      });
      version = rule.json().version;
      expect((await post(`/experiments/${key}/start`, { version: 1 })).statusCode).toBe(200);
    }
    const webhook = await post('/webhooks', {
      url: 'http://127.0.0.1:9/hooks',
      events: ['experiment.ready'],
    });
    expect(webhook.statusCode).toBe(201);

    // Four units in each experiment: enough for "stops-itself" and "just-tells" to reach their plan.
    const key = await test.environmentKey(owner, { kind: 'server' });
    const events = ['stops-itself', 'just-tells'].flatMap((experiment) =>
      [0, 1, 2, 3].map((unit) => ({
        id: randomUUID(),
        type: 'exposure',
        unitId: `unit-${unit}`,
        experiment,
        variant: unit % 2 === 0 ? 'control' : 'treatment',
        timestamp: new Date(Date.now() - 60_000).toISOString(),
      })),
    );
    const sent = await test.request({ method: 'POST', url: '/api/v1/events', payload: { events } }, key);
    expect(sent.json().accepted).toBe(8);
  });
  afterAll(async () => {
    await test?.close();
  });

  it('analyses every running experiment without fresh results, and not again while they are fresh', async () => {
    expect(await test.services.analysis.refreshDue()).toBe(2);
    await settle(test);
    expect(await test.services.analysis.refreshDue()).toBe(0);
    const results = (
      await test.request({ method: 'GET', url: `${project}/experiments/just-tells/results` }, owner)
    ).json();
    expect(results.health).toMatchObject({
      units: { control: 2, treatment: 2 },
      plannedUnits: 4,
      ended: { reached: true, reason: 'planned_units' },
    });
  });

  it('announces the end once to experiment.ready webhooks, and stops the experiment when asked to', async () => {
    const stopped = (
      await test.request({ method: 'GET', url: `${project}/experiments/stops-itself` }, owner)
    ).json();
    expect(stopped).toMatchObject({ status: 'stopped', decision: { outcome: 'inconclusive' } });
    const notified = (
      await test.request({ method: 'GET', url: `${project}/experiments/just-tells` }, owner)
    ).json();
    expect(notified.status).toBe('running');

    // A second analysis of the experiment that still runs does not announce again.
    await test.request({ method: 'POST', url: `${project}/experiments/just-tells/analysis` }, owner);
    await settle(test);
    const audit = (await test.request({ method: 'GET', url: `${project}/audit?limit=50` }, owner)).json();
    const ready = audit.items.filter((record: { action: string }) => record.action === 'experiment.ready');
    expect(
      ready.map((record: { resourceKey?: string; resourceId: string }) => record.resourceId).sort(),
    ).toHaveLength(2);
    const webhooks = (await test.request({ method: 'GET', url: `${project}/webhooks` }, owner)).json();
    const deliveries = (
      await test.request(
        { method: 'GET', url: `${project}/webhooks/${webhooks.items[0].id}/deliveries` },
        owner,
      )
    ).json();
    const types = deliveries.items.map((delivery: { eventType: string }) => delivery.eventType);
    expect(types).toEqual(['experiment.ready', 'experiment.ready']);
    expect(deliveries.items[0].payload.after).toMatchObject({ reason: 'planned_units', plannedUnits: 4 });
  });
});
