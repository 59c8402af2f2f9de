import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test-support/databases.js';
import { type Credentials, createTestApp, type TestApp } from '../../test-support/test-app.js';
import { verdictOf } from './overview.js';
import type { Results } from './schemas.js';

const base = '/api/v1/projects/shop';
const DAY_MS = 24 * 3_600_000;
const startOfToday = Math.floor(Date.now() / DAY_MS) * DAY_MS;
/** Noon of the UTC day `daysAgo` days before today; today: a moment ago (the future is rejected). */
const noon = (daysAgo: number) =>
  daysAgo === 0
    ? new Date(Math.max(startOfToday, Date.now() - 60_000)).toISOString()
    : new Date(startOfToday - daysAgo * DAY_MS + DAY_MS / 2).toISOString();
const dayOf = (daysAgo: number) => new Date(startOfToday - daysAgo * DAY_MS).toISOString().slice(0, 10);

async function waitForJob(test: TestApp, owner: Credentials, jobId: string) {
  for (let tries = 0; tries < 400; tries++) {
    const job = (await test.request({ method: 'GET', url: `${base}/jobs/${jobId}` }, owner)).json();
    if (job.status === 'succeeded' || job.status === 'failed') return job;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`job ${jobId} did not finish`);
}

describe.each(DIALECTS)('results summary and recent traffic (%s)', (dialect) => {
  let test: TestApp;
  let owner: Credentials;

  beforeAll(async () => {
    test = await createTestApp(dialect);
    owner = await test.signUpOwner();
    await test.createProject(owner);
    const post = (url: string, payload: Record<string, unknown>) =>
      test.request({ method: 'POST', url, payload }, owner);
    expect(
      (await post(`${base}/metrics`, { key: 'bought', type: 'proportion', numerator: { event: 'buy' } }))
        .statusCode,
    ).toBe(201);
    for (const metric of [
      {
        key: 'spent-eur',
        type: 'mean',
        numerator: {
          event: 'buy',
          aggregation: 'sum',
          filters: [{ property: 'currency', operator: 'eq', value: 'EUR' }],
        },
      },
      { key: 'per-buy', type: 'ratio', numerator: { event: 'buy' }, denominator: { event: 'view' } },
    ])
      expect((await post(`${base}/metrics`, metric)).statusCode).toBe(201);
    for (const key of ['checkout', 'untouched']) {
      const created = await post(`${base}/experiments`, {
        key,
        variations: [
          { key: 'control', weight: 0.5 },
          { key: 'treatment', weight: 0.5 },
        ],
        metrics: { primary: ['bought'] },
      });
      expect(created.statusCode).toBe(201);
    }
    // u1–u3 two days ago, u1 and u4 yesterday, u5 today; staging traffic must not count.
    const exposure = (unitId: string, daysAgo: number, variant: string) => ({
      id: randomUUID(),
      type: 'exposure',
      unitId,
      experiment: 'checkout',
      variant,
      timestamp: noon(daysAgo),
    });
    const production = [
      exposure('u1', 2, 'control'),
      exposure('u2', 2, 'treatment'),
      exposure('u3', 2, 'control'),
      exposure('u1', 1, 'control'),
      {
        id: randomUUID(),
        type: 'track',
        unitId: 'u4',
        event: 'buy',
        value: 30,
        timestamp: noon(1),
        properties: { currency: 'EUR' },
      },
      {
        id: randomUUID(),
        type: 'track',
        unitId: 'u2',
        event: 'buy',
        value: 10,
        timestamp: noon(2),
        properties: { currency: 'USD' },
      },
      exposure('u5', 0, 'treatment'),
    ];
    const sent = await test.request(
      { method: 'POST', url: '/api/v1/events', payload: { events: production } },
      await test.environmentKey(owner, { kind: 'server' }),
    );
    expect(sent.json().rejected).toEqual([]);
    const staging = await test.request(
      { method: 'POST', url: '/api/v1/events', payload: { events: [exposure('s1', 1, 'control')] } },
      await test.environmentKey(owner, { kind: 'server', environment: 'staging' }),
    );
    expect(staging.json().rejected).toEqual([]);
  });
  afterAll(async () => {
    await test?.close();
  });

  it('counts distinct units per complete UTC day in the environment, and over the period', async () => {
    const response = await test.request({ method: 'GET', url: `${base}/traffic?days=3` }, owner);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      environment: 'production',
      days: [
        { date: dayOf(3), units: 0 },
        { date: dayOf(2), units: 3 },
        { date: dayOf(1), units: 2 },
      ],
      units: 4,
      dailyUnits: 4 / 3,
    });
    const staging = await test.request(
      { method: 'GET', url: `${base}/traffic?days=1&environment=staging` },
      owner,
    );
    expect(staging.json()).toMatchObject({ days: [{ date: dayOf(1), units: 1 }], units: 1 });
  });

  it("gives a metric's recent baseline per unit over the units with any event", async () => {
    // u1–u4 had events in the last 3 complete days; u2 and u4 bought, only u4 in euros (30).
    const rate = await test.request({ method: 'GET', url: `${base}/metrics/bought/baseline?days=3` }, owner);
    expect(rate.statusCode).toBe(200);
    expect(rate.json()).toEqual({
      metric: 'bought',
      type: 'proportion',
      environment: 'production',
      units: 4,
      mean: 0.5,
      standardDeviation: 0.5,
    });
    const mean = (
      await test.request({ method: 'GET', url: `${base}/metrics/spent-eur/baseline?days=3` }, owner)
    ).json();
    // Values 30, 0, 0, 0: mean 7.5, sample variance (900 − 4 · 7.5²) / 3 = 225.
    expect(mean).toMatchObject({ type: 'mean', units: 4, mean: 7.5 });
    expect(mean.standardDeviation).toBeCloseTo(15, 10);
    const none = (
      await test.request(
        { method: 'GET', url: `${base}/metrics/bought/baseline?days=1&environment=development` },
        owner,
      )
    ).json();
    expect(none).toMatchObject({ units: 0, mean: null, standardDeviation: null });
    const ratio = await test.request({ method: 'GET', url: `${base}/metrics/per-buy/baseline` }, owner);
    expect(ratio.statusCode).toBe(400);
    expect(ratio.json().error.message).toContain('ratio metric');
  });

  it('rejects a period it will not scan, naming the field', async () => {
    const response = await test.request({ method: 'GET', url: `${base}/traffic?days=400` }, owner);
    expect(response.statusCode).toBe(400);
    expect(JSON.stringify(response.json().error.details)).toContain('days');
  });

  it('summarises the latest results of each analysed experiment', async () => {
    const empty = await test.request({ method: 'GET', url: `${base}/results/summary` }, owner);
    expect(empty.json()).toEqual({ items: [] });

    const accepted = await test.request(
      { method: 'POST', url: `${base}/experiments/checkout/analysis`, payload: {} },
      owner,
    );
    const job = await waitForJob(test, owner, accepted.json().jobId);
    expect(job.status).toBe('succeeded');
    const results = (
      await test.request({ method: 'GET', url: `${base}/experiments/checkout/results` }, owner)
    ).json();

    const response = await test.request({ method: 'GET', url: `${base}/results/summary` }, owner);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      items: [
        {
          experiment: 'checkout',
          computedAt: results.computedAt,
          units: 4,
          verdict: verdictOf(results),
          guardrailRegressed: false,
        },
      ],
    });
    const staging = await test.request(
      { method: 'GET', url: `${base}/results/summary?environment=staging` },
      owner,
    );
    expect(staging.json()).toEqual({ items: [] });
  });
});

describe('verdictOf', () => {
  const comparison = (verdict: 'win' | 'loss' | 'inconclusive') => ({
    variant: 'treatment',
    estimate: null,
    standardError: null,
    ciLower: null,
    ciUpper: null,
    pValue: null,
    chanceToWin: null,
    expectedLoss: null,
    verdict,
  });
  const outputs = (
    flagged: boolean,
    metrics: ['primary' | 'secondary' | 'guardrail', 'win' | 'loss' | 'inconclusive'][],
  ): Pick<Results, 'health' | 'metrics'> => ({
    health: {
      units: { control: 10, treatment: 10 },
      srm: { chiSquare: null, pValue: null, flagged },
      multipleVariantUnits: 0,
      unknownVariantUnits: 0,
      guardrails: [],
      plannedUnits: null,
      ended: { reached: false, reason: null },
      summary: [],
    },
    metrics: metrics.map(([role, verdict], index) => ({
      metric: `m${index}`,
      role,
      variants: [],
      comparisons: [comparison(verdict)],
      series: [],
    })),
  });

  it('warns of SRM before anything the metrics say', () => {
    expect(verdictOf(outputs(true, [['primary', 'win']]))).toBe('srm');
  });

  it('judges on primary metrics only', () => {
    expect(
      verdictOf(
        outputs(false, [
          ['primary', 'win'],
          ['secondary', 'loss'],
        ]),
      ),
    ).toBe('win');
    expect(
      verdictOf(
        outputs(false, [
          ['primary', 'loss'],
          ['guardrail', 'win'],
        ]),
      ),
    ).toBe('loss');
    expect(
      verdictOf(
        outputs(false, [
          ['primary', 'win'],
          ['primary', 'loss'],
        ]),
      ),
    ).toBe('mixed');
    expect(
      verdictOf(
        outputs(false, [
          ['primary', 'inconclusive'],
          ['secondary', 'win'],
        ]),
      ),
    ).toBe('inconclusive');
  });
});
