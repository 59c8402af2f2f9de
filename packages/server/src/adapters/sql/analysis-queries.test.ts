import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  AnalysedMetric,
  AnalysisQueries,
  AnalysisScope,
  VariantSums,
} from '../../ports/analysis-queries.js';
import type { StoredEvent } from '../../ports/stored-event.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../test-support/databases.js';
import { experimentEvents } from '../../test-support/experiment-events.js';
import {
  referenceDailySums,
  referenceDimensionSums,
  referenceExposures,
  referenceMetricSums,
} from '../../test-support/reference-analysis.js';
import { analysisQueriesFor } from '../analysis-queries-for.js';
import { eventStoreFor } from '../event-store-for.js';

const START = new Date('2026-11-02T06:00:00.000Z');

const scope: AnalysisScope = {
  projectId: 'p1',
  environmentId: 'production',
  experimentKey: 'checkout',
  variations: ['control', 'treatment'],
  // Cuts off the first hours of exposures, and ends before the last ones.
  startAt: '2026-11-02T09:00:00.000Z',
  endAt: '2026-11-05T18:30:00.000Z',
};

const metrics: AnalysedMetric[] = [
  {
    key: 'bought-in-euros',
    type: 'proportion',
    numerator: {
      event: 'purchase',
      aggregation: 'count',
      filters: [{ property: 'currency', operator: 'eq', value: 'EUR' }],
    },
    delayHours: 0,
    windowHours: 48,
    covariateDays: 14,
  },
  {
    key: 'revenue',
    type: 'mean',
    numerator: { event: 'purchase', aggregation: 'sum' },
    delayHours: 0,
    windowHours: 72,
    capping: { type: 'absolute', value: 90 },
    covariateDays: 14,
  },
  {
    key: 'views',
    type: 'mean',
    numerator: { event: 'view', aggregation: 'count' },
    delayHours: 1.5,
    capping: { type: 'percentile', value: 0.9 },
  },
  {
    key: 'revenue-per-view',
    type: 'ratio',
    numerator: {
      event: 'purchase',
      aggregation: 'sum',
      filters: [{ property: 'gift', operator: 'neq', value: true }],
    },
    denominator: { event: 'view', aggregation: 'count' },
    delayHours: 0,
    windowHours: 60,
  },
  {
    key: 'big-baskets',
    type: 'mean',
    numerator: {
      event: 'purchase',
      aggregation: 'count',
      filters: [
        { property: 'items', operator: 'gte', value: 2 },
        { property: 'currency', operator: 'in', value: ['EUR', 'GBP'] },
        { property: 'gift', operator: 'exists' },
      ],
    },
    delayHours: 0,
  },
];

/** Sums computed in floating point in a different order differ in the last bits only. */
function expectSumsClose(actual: VariantSums[], expected: VariantSums[]) {
  expect(actual.map((sums) => sums.variant)).toEqual(expected.map((sums) => sums.variant));
  for (const [index, sums] of expected.entries()) {
    const found = actual[index] as VariantSums;
    expect(found.n).toBe(sums.n);
    const close = (a: number, b: number) =>
      expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(b)));
    close(found.sum, sums.sum);
    close(found.sumSquares, sums.sumSquares);
    for (const part of ['covariate', 'denominator'] as const) {
      const want = sums[part];
      const got = found[part];
      expect(got === undefined).toBe(want === undefined);
      if (want && got) {
        close(got.sum, want.sum);
        close(got.sumSquares, want.sumSquares);
        close(got.sumProduct, want.sumProduct);
      }
    }
  }
}

describe.each(DIALECTS)('analysis queries (%s)', (dialect) => {
  let test: TestDatabase;
  let queries: AnalysisQueries;
  let events: StoredEvent[];

  beforeAll(async () => {
    test = await createTestDatabase(dialect);
    queries = analysisQueriesFor(test.database);
    events = experimentEvents({
      projectId: scope.projectId,
      environmentId: scope.environmentId,
      otherEnvironmentId: 'staging',
      experimentKey: scope.experimentKey,
      units: 600,
      start: START,
      spreadHours: 96,
      seed: 42,
    });
    await eventStoreFor(test.database).insertBatches([events]);
  });
  afterAll(async () => {
    await test?.destroy();
  });

  it('counts analysed units per variant and the units left out', async () => {
    const counts = await queries.exposures(scope);
    expect(counts).toEqual(referenceExposures(events, scope));
    expect(counts.multipleVariantUnits).toBeGreaterThan(0);
    expect(counts.unknownVariantUnits).toBeGreaterThan(0);
  });

  it('computes every metric’s sufficient statistics as the obvious in-memory computation does', async () => {
    const actual = await queries.metricSums(scope, metrics);
    const expected = referenceMetricSums(events, scope, metrics);
    expect(actual.map((sums) => sums.metric)).toEqual(metrics.map((metric) => metric.key));
    for (const [index, sums] of expected.entries()) {
      const found = actual[index];
      if (sums.cap === undefined) expect(found?.cap).toBeUndefined();
      else expect(found?.cap).toBeCloseTo(sums.cap, 9);
      expectSumsClose(found?.variants ?? [], sums.variants);
    }
    // The data is not degenerate: the treatment converts more, and caps bite.
    const [conversion] = actual;
    expect(conversion?.variants[1]?.sum).toBeGreaterThan(0);
  });

  it('computes one metric alone exactly as within the batch', async () => {
    const alone = await queries.metricSums(scope, [metrics[2] as AnalysedMetric]);
    expectSumsClose(
      alone[0]?.variants ?? [],
      referenceMetricSums(events, scope, [metrics[2] as AnalysedMetric])[0]?.variants ?? [],
    );
  });

  it('breaks results down by a first-exposure attribute, with "(not set)" for units without it', async () => {
    const actual = await queries.dimensionSums(scope, metrics, 'country');
    const expected = referenceDimensionSums(events, scope, metrics, 'country');
    for (const [index, metric] of expected.entries()) {
      const found = actual[index];
      expect(found?.values.map((value) => value.value).sort()).toEqual(
        metric.values.map((value) => value.value).sort(),
      );
      for (const value of metric.values) {
        expectSumsClose(
          found?.values.find((candidate) => candidate.value === value.value)?.variants ?? [],
          value.variants,
        );
      }
    }
    expect(actual[0]?.values.map((value) => value.value)).toContain('(not set)');
  });

  it('groups attribute values beyond the top 20 under "other"', async () => {
    const actual = await queries.dimensionSums(scope, [metrics[1] as AnalysedMetric], 'cohort');
    const expected = referenceDimensionSums(events, scope, [metrics[1] as AnalysedMetric], 'cohort');
    const values = actual[0]?.values.map((value) => value.value) ?? [];
    expect(values).toHaveLength(22);
    expect(values.slice(-2)).toEqual(['other', '(not set)']);
    expect([...values].sort()).toEqual(expected[0]?.values.map((value) => value.value).sort());
    for (const value of expected[0]?.values ?? []) {
      expectSumsClose(
        actual[0]?.values.find((candidate) => candidate.value === value.value)?.variants ?? [],
        value.variants,
      );
    }
  });

  it('builds a cumulative daily series whose last day equals the totals', async () => {
    const actual = await queries.dailySums(scope, metrics);
    const expected = referenceDailySums(events, scope, metrics);
    for (const [index, metric] of expected.entries()) {
      const found = actual[index];
      expect(found?.days.map((day) => day.date)).toEqual(metric.days.map((day) => day.date));
      for (const [dayIndex, day] of metric.days.entries()) {
        expectSumsClose(found?.days[dayIndex]?.variants ?? [], day.variants);
      }
    }
    const totals = await queries.metricSums(scope, metrics);
    for (const [index, series] of actual.entries()) {
      expectSumsClose(series.days.at(-1)?.variants ?? [], totals[index]?.variants ?? []);
    }
  });

  it('answers zeros, not errors, for an experiment without exposures', async () => {
    const empty = { ...scope, experimentKey: 'nothing-yet' };
    expect(await queries.exposures(empty)).toEqual({
      units: { control: 0, treatment: 0 },
      multipleVariantUnits: 0,
      unknownVariantUnits: 0,
    });
    const [sums] = await queries.metricSums(empty, metrics.slice(2, 3));
    expect(sums?.variants).toEqual([
      { variant: 'control', n: 0, sum: 0, sumSquares: 0 },
      { variant: 'treatment', n: 0, sum: 0, sumSquares: 0 },
    ]);
    expect((await queries.dailySums(empty, metrics))[0]?.days).toEqual([]);
  });
});
