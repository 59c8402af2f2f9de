import {
  AnalyzeRequestSchema,
  type AnalyzeResult,
  adjustPValues,
  analyze,
  type Metric,
  MetricSchema,
  sampleRatioMismatch,
} from '@cleave/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnalysedMetric, AnalysisScope, VariantSums } from '../../ports/analysis-queries.js';
import type { StoredEvent } from '../../ports/stored-event.js';
import { DIALECTS } from '../../test-support/databases.js';
import { experimentEvents } from '../../test-support/experiment-events.js';
import {
  referenceDimensionSums,
  referenceExposures,
  referenceMetricSums,
} from '../../test-support/reference-analysis.js';
import { type Credentials, createTestApp, type TestApp } from '../../test-support/test-app.js';

const base = '/api/v1/projects/shop';

/** The metrics as the API takes them, and as the reference needs them (with CUPED on). */
const METRICS: { body: Record<string, unknown>; role: string }[] = [
  {
    body: {
      key: 'purchase',
      type: 'proportion',
      numerator: { event: 'purchase', filters: [{ property: 'currency', operator: 'eq', value: 'EUR' }] },
      conversionWindow: { windowHours: 48 },
    },
    role: 'primary',
  },
  {
    body: {
      key: 'revenue',
      type: 'mean',
      numerator: { event: 'purchase', aggregation: 'sum' },
      conversionWindow: { delayHours: 0.5, windowHours: 72 },
      capping: { type: 'percentile', value: 0.95 },
    },
    role: 'primary',
  },
  {
    body: {
      key: 'views',
      type: 'mean',
      numerator: { event: 'view', aggregation: 'count' },
      capping: { type: 'absolute', value: 6 },
      direction: 'decrease',
    },
    role: 'secondary',
  },
  {
    body: {
      key: 'revenue-per-view',
      type: 'ratio',
      numerator: { event: 'purchase', aggregation: 'sum' },
      denominator: { event: 'view', aggregation: 'count' },
    },
    role: 'guardrail',
  },
];

/** A metric as the queries take it, read off its definition here (with CUPED on). */
function analysedMetric(body: Record<string, unknown>, cupedDays: number): AnalysedMetric {
  const metric: Metric = MetricSchema.parse(body);
  return {
    key: metric.key,
    type: metric.type,
    numerator: metric.numerator,
    ...(metric.denominator && { denominator: metric.denominator }),
    delayHours: metric.conversionWindow?.delayHours ?? 0,
    ...(metric.conversionWindow?.windowHours !== undefined && {
      windowHours: metric.conversionWindow.windowHours,
    }),
    ...(metric.capping && { capping: metric.capping }),
    ...(metric.type !== 'ratio' && { covariateDays: cupedDays }),
  };
}

/** An event as an SDK sends it. */
function rawEvent(event: StoredEvent) {
  const properties = event.properties ? JSON.parse(event.properties) : undefined;
  return event.type === 'exposure'
    ? {
        id: event.eventId,
        type: 'exposure',
        unitId: event.unitId,
        experiment: event.experiment,
        variant: event.variant,
        timestamp: event.occurredAt,
        ...(properties && { attributes: properties }),
      }
    : {
        id: event.eventId,
        type: 'track',
        unitId: event.unitId,
        event: event.eventName,
        ...(event.value !== null && { value: event.value }),
        timestamp: event.occurredAt,
        ...(properties && { properties }),
      };
}

function engineRequest(metric: AnalysedMetric, direction: string, sums: readonly VariantSums[]) {
  return AnalyzeRequestSchema.parse({
    metric: metric.type,
    method: 'frequentist',
    effect: 'relative',
    alpha: 0.05,
    cuped: metric.covariateDays !== undefined,
    direction,
    variants: sums.map(({ variant: _variant, ...statistics }) => statistics),
  });
}

async function waitForJob(test: TestApp, owner: Credentials, jobId: string) {
  for (let tries = 0; tries < 400; tries++) {
    const job = (await test.request({ method: 'GET', url: `${base}/jobs/${jobId}` }, owner)).json();
    if (job.status === 'succeeded' || job.status === 'failed') return job;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`job ${jobId} did not finish`);
}

describe.each(DIALECTS)('experiment analysis end to end (%s)', (dialect) => {
  let test: TestApp;
  let owner: Credentials;
  let events: StoredEvent[];
  let scope: Omit<AnalysisScope, 'endAt'>;
  const start = new Date(Date.now() - 5 * 24 * 3_600_000);

  beforeAll(async () => {
    test = await createTestApp(dialect);
    owner = await test.signUpOwner();
    await test.createProject(owner);
    const post = (url: string, payload: Record<string, unknown>) =>
      test.request({ method: 'POST', url, payload }, owner);
    for (const metric of METRICS) expect((await post(`${base}/metrics`, metric.body)).statusCode).toBe(201);
    const experiment = await post(`${base}/experiments`, {
      key: 'checkout',
      variations: [
        { key: 'control', weight: 0.5 },
        { key: 'treatment', weight: 0.5 },
      ],
      metrics: {
        primary: METRICS.filter((metric) => metric.role === 'primary').map((metric) => metric.body.key),
        secondary: ['views'],
        guardrail: ['revenue-per-view'],
      },
      analysis: { cuped: true, correction: 'holm' },
    });
    expect(experiment.statusCode).toBe(201);

    const project = await test.services.projects.findProjectByKey('shop');
    if (!project) throw new Error('the project was not created');
    const production = await test.services.projects.environmentByKey(project, 'production');
    const staging = await test.services.projects.environmentByKey(project, 'staging');
    events = experimentEvents({
      projectId: production.projectId,
      environmentId: production.id,
      otherEnvironmentId: staging.id,
      experimentKey: 'checkout',
      units: 400,
      start,
      spreadHours: 90,
      seed: 7,
    }).filter(
      (event) =>
        Date.parse(event.occurredAt) < Date.now() - 60_000 &&
        Date.parse(event.occurredAt) > Date.now() - 6.9 * 24 * 3_600_000,
    );
    scope = {
      projectId: production.projectId,
      environmentId: production.id,
      experimentKey: 'checkout',
      variations: ['control', 'treatment'],
    };
    const keys = {
      [production.id]: await test.environmentKey(owner, { kind: 'server' }),
      [staging.id]: await test.environmentKey(owner, { kind: 'server', environment: 'staging' }),
    };
    for (const environmentId of [production.id, staging.id]) {
      const batch = events.filter((event) => event.environmentId === environmentId).map(rawEvent);
      for (let index = 0; index < batch.length; index += 1000) {
        const response = await test.request(
          { method: 'POST', url: '/api/v1/events', payload: { events: batch.slice(index, index + 1000) } },
          keys[environmentId],
        );
        expect(response.json().rejected).toEqual([]);
      }
    }
  });
  afterAll(async () => {
    await test?.close();
  });

  it('answers 404 before the first analysis, saying how to run one', async () => {
    const response = await test.request(
      { method: 'GET', url: `${base}/experiments/checkout/results` },
      owner,
    );
    expect(response.statusCode).toBe(404);
    expect(response.json().error.message).toContain(
      'POST /api/v1/projects/shop/experiments/checkout/analysis',
    );
  });

  it('runs an analysis job whose results equal the statistics computed directly from the events', async () => {
    const accepted = await test.request(
      {
        method: 'POST',
        url: `${base}/experiments/checkout/analysis`,
        payload: { environment: 'production' },
      },
      owner,
    );
    expect(accepted.statusCode).toBe(202);
    const job = await waitForJob(test, owner, accepted.json().jobId);
    expect(job).toMatchObject({ status: 'succeeded', progress: 1, type: 'experiment-analysis' });

    const response = await test.request(
      { method: 'GET', url: `${base}/experiments/checkout/results` },
      owner,
    );
    expect(response.statusCode).toBe(200);
    const results = response.json();
    expect(results.snapshotId).toBe(job.snapshotId);
    const fullScope: AnalysisScope = { ...scope, endAt: results.period.endAt };

    const exposures = referenceExposures(events, fullScope);
    expect(results.health).toMatchObject({
      units: exposures.units,
      multipleVariantUnits: exposures.multipleVariantUnits,
      unknownVariantUnits: exposures.unknownVariantUnits,
      plannedUnits: null,
    });
    expect(exposures.multipleVariantUnits).toBeGreaterThan(0);
    const srm = sampleRatioMismatch({ counts: Object.values(exposures.units), weights: [0.5, 0.5] });
    expect(results.health.srm.pValue).toBeCloseTo(srm.pValue, 10);

    const metrics = METRICS.map((metric) => analysedMetric(metric.body, 14));
    const sums = referenceMetricSums(events, fullScope, metrics);
    const expected: AnalyzeResult[] = METRICS.map((metric, index) =>
      analyze(
        engineRequest(
          metrics[index] as AnalysedMetric,
          String(metric.body.direction ?? 'increase'),
          sums[index]?.variants ?? [],
        ),
      ),
    );
    const primaryPValues = expected.slice(0, 2).map((result) => result.comparisons[0]?.pValue as number);
    const adjusted = adjustPValues(primaryPValues, 'holm');

    expect(
      results.metrics.map((metric: { metric: string; role: string }) => [metric.metric, metric.role]),
    ).toEqual(METRICS.map((metric) => [metric.body.key, metric.role]));
    for (const [index, result] of expected.entries()) {
      const actual = results.metrics[index];
      expect(actual.variants.map((variant: { variant: string }) => variant.variant)).toEqual([
        'control',
        'treatment',
      ]);
      for (const [arm, variant] of result.variants.entries()) {
        expect(actual.variants[arm].n).toBe(variant.n);
        expect(actual.variants[arm].mean).toBeCloseTo(variant.mean, 10);
        expect(actual.variants[arm].variance).toBeCloseTo(variant.variance, 8);
      }
      const comparison = result.comparisons[0];
      expect(actual.comparisons[0].variant).toBe('treatment');
      expect(actual.comparisons[0].estimate).toBeCloseTo(comparison?.estimate ?? Number.NaN, 10);
      expect(actual.comparisons[0].pValue).toBeCloseTo(comparison?.pValue ?? Number.NaN, 10);
      expect(actual.comparisons[0].ciLower).toBeCloseTo(comparison?.ciLower ?? Number.NaN, 10);
      if (index < 2) expect(actual.comparisons[0].adjustedPValue).toBeCloseTo(adjusted[index] as number, 10);
      else expect(actual.comparisons[0].adjustedPValue).toBeUndefined();
      expect(['win', 'loss', 'inconclusive']).toContain(actual.comparisons[0].verdict);
      // The series ends where the totals are (summed in another order: equal up to rounding).
      const last = actual.series.at(-1);
      for (const [arm, variant] of actual.variants.entries()) {
        expect(last.variants[arm].n).toBe(variant.n);
        expect(last.variants[arm].mean).toBeCloseTo(variant.mean, 9);
        expect(last.variants[arm].variance).toBeCloseTo(variant.variance, 6);
      }
      expect(actual.series.length).toBeGreaterThanOrEqual(5);
    }
    expect(results.health.guardrails).toEqual([
      {
        metric: 'revenue-per-view',
        variant: 'treatment',
        regressed: results.metrics[3].comparisons[0].verdict === 'loss',
      },
    ]);
    expect(results.health.summary).toHaveLength(4);
    expect(results.health.summary[0].sentence).toMatch(/purchase/);
    expect(JSON.stringify(results)).not.toMatch(/NaN|Infinity/);
  });

  it('breaks results down by a first-exposure attribute', async () => {
    const response = await test.request(
      { method: 'GET', url: `${base}/experiments/checkout/results?dimension=country` },
      owner,
    );
    expect(response.statusCode).toBe(200);
    const results = response.json();
    const fullScope: AnalysisScope = { ...scope, endAt: results.period.endAt };
    const metric = analysedMetric(METRICS[0]?.body ?? {}, 14);
    const [breakdown] = referenceDimensionSums(events, fullScope, [metric], 'country');
    const dimension = results.metrics[0].dimension;
    expect(dimension.name).toBe('country');
    expect(dimension.values.map((value: { value: string }) => value.value).sort()).toEqual(
      breakdown?.values.map((value) => value.value).sort(),
    );
    for (const value of breakdown?.values ?? []) {
      const actual = dimension.values.find((candidate: { value: string }) => candidate.value === value.value);
      expect(actual.variants.map((variant: { n: number }) => variant.n)).toEqual(
        value.variants.map((variant) => variant.n),
      );
      let expected: AnalyzeResult | undefined;
      try {
        expected = analyze(engineRequest(metric, 'increase', value.variants));
      } catch {
        // Too little data in this slice (e.g. no control conversions): the API says so instead.
        expected = undefined;
      }
      if (expected) {
        expect(actual.comparisons[0].estimate).toBeCloseTo(
          expected.comparisons[0]?.estimate ?? Number.NaN,
          10,
        );
      } else {
        expect(actual.comparisons[0]).toMatchObject({
          estimate: null,
          verdict: 'inconclusive',
          note: expect.any(String),
        });
      }
    }
  });

  it('reuses the queued or running analysis instead of starting a second one, and 404s unknown jobs', async () => {
    const [first, second] = await Promise.all([
      test.request({ method: 'POST', url: `${base}/experiments/checkout/analysis` }, owner),
      test.request({ method: 'POST', url: `${base}/experiments/checkout/analysis` }, owner),
    ]);
    expect(first.statusCode).toBe(202);
    expect(second.statusCode).toBe(202);
    await waitForJob(test, owner, first.json().jobId);
    await waitForJob(test, owner, second.json().jobId);
    const missing = await test.request({ method: 'GET', url: `${base}/jobs/no-such-job` }, owner);
    expect(missing.statusCode).toBe(404);
    const unknownEnvironment = await test.request(
      { method: 'POST', url: `${base}/experiments/checkout/analysis`, payload: { environment: 'moon' } },
      owner,
    );
    expect(unknownEnvironment.statusCode).toBe(404);
  });
});
