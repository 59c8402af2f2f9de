/**
 * The incremental per-unit facts against the full computation from the events, on both engines:
 * events arrive in random batches (so tracked events come before their unit's exposure, and
 * earlier exposures after later ones), the facts are refreshed in between, and every refresh
 * must give exactly what the full computation gives over the events stored so far.
 */
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type {
  AnalysedMetric,
  AnalysisScope,
  DailySums,
  MetricSums,
  VariantSums,
} from '../../ports/analysis-queries.js';
import type { StoredEvent } from '../../ports/stored-event.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../test-support/databases.js';
import { experimentEvents, seededRandom } from '../../test-support/experiment-events.js';
import { referenceMetricSums } from '../../test-support/reference-analysis.js';
import { analysisQueriesFor } from '../analysis-queries-for.js';
import { eventStoreFor } from '../event-store-for.js';
import { type FactAnalysisQueries, metricFactsHash } from './analysis-facts.js';

const START = new Date('2026-11-02T06:00:00.000Z');
const HOUR_MS = 3_600_000;

const baseScope: AnalysisScope = {
  projectId: 'p1',
  environmentId: 'production',
  experimentKey: 'checkout',
  variations: ['control', 'treatment'],
  endAt: '2026-11-09T00:00:00.000Z',
};

const conversion: AnalysedMetric = {
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
};
const revenue: AnalysedMetric = {
  key: 'revenue',
  type: 'mean',
  numerator: { event: 'purchase', aggregation: 'sum' },
  delayHours: 0,
  capping: { type: 'percentile', value: 0.9 },
  covariateDays: 14,
};
// The same facts as revenue under other caps: a low percentile (read from the index's low end),
// the maximum (one order statistic), and an absolute cap; all aggregated in the same analysis.
const revenueLowCap: AnalysedMetric = {
  ...revenue,
  key: 'revenue-low-cap',
  capping: { type: 'percentile', value: 0.3 },
};
const revenueMaxCap: AnalysedMetric = {
  ...revenue,
  key: 'revenue-max-cap',
  capping: { type: 'percentile', value: 1 },
};
const revenueFixedCap: AnalysedMetric = {
  ...revenue,
  key: 'revenue-fixed-cap',
  capping: { type: 'absolute', value: 40 },
};
const views: AnalysedMetric = {
  key: 'views',
  type: 'mean',
  numerator: { event: 'view', aggregation: 'count' },
  delayHours: 1.5,
  capping: { type: 'absolute', value: 6 },
};
const revenuePerView: AnalysedMetric = {
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
};

function close(actual: number, expected: number, label: string) {
  expect(Math.abs(actual - expected), `${label}: ${actual} vs ${expected}`).toBeLessThanOrEqual(
    1e-9 * Math.max(1, Math.abs(expected)),
  );
}

function expectSameVariants(actual: VariantSums[], expected: VariantSums[], label: string) {
  expect(actual.map((sums) => [sums.variant, sums.n])).toEqual(
    expected.map((sums) => [sums.variant, sums.n]),
  );
  for (const [index, want] of expected.entries()) {
    const got = actual[index] as VariantSums;
    close(got.sum, want.sum, `${label} ${want.variant} sum`);
    close(got.sumSquares, want.sumSquares, `${label} ${want.variant} sumSquares`);
    for (const part of ['covariate', 'denominator'] as const) {
      const wanted = want[part];
      const found = got[part];
      expect(found === undefined, `${label} ${part}`).toBe(wanted === undefined);
      if (wanted && found) {
        close(found.sum, wanted.sum, `${label} ${part} sum`);
        close(found.sumSquares, wanted.sumSquares, `${label} ${part} sumSquares`);
        close(found.sumProduct, wanted.sumProduct, `${label} ${part} sumProduct`);
      }
    }
  }
}

function expectSameSums(actual: MetricSums[], expected: MetricSums[], label: string) {
  expect(actual.map((sums) => sums.metric)).toEqual(expected.map((sums) => sums.metric));
  for (const [index, want] of expected.entries()) {
    const got = actual[index] as MetricSums;
    if (want.cap === undefined) expect(got.cap, `${label} ${want.metric} cap`).toBeUndefined();
    else close(got.cap ?? Number.NaN, want.cap, `${label} ${want.metric} cap`);
    expectSameVariants(got.variants, want.variants, `${label} ${want.metric}`);
  }
}

/** Asserts the facts answer what the full computation answers, for the scope and the metrics. */
async function expectAgree(
  facts: FactAnalysisQueries,
  scope: AnalysisScope,
  metrics: readonly AnalysedMetric[],
  label: string,
) {
  const full = facts.fullComputation;
  expect(await facts.exposures(scope), `${label} exposures`).toEqual(await full.exposures(scope));
  const expected = await full.metricSums(scope, metrics);
  expectSameSums(await facts.metricSums(scope, metrics), expected, label);
  // The daily cumulative series, from the daily facts.
  const expectedDays = await full.dailySums(scope, metrics);
  const days = await facts.dailySums(scope, metrics);
  expect(days.map((series) => series.metric)).toEqual(expectedDays.map((series) => series.metric));
  for (const [index, want] of expectedDays.entries()) {
    const got = days[index] as DailySums;
    expect(
      got.days.map((day) => day.date),
      `${label} ${want.metric} days`,
    ).toEqual(want.days.map((day) => day.date));
    for (const [dayIndex, day] of want.days.entries()) {
      expectSameVariants(
        got.days[dayIndex]?.variants ?? [],
        day.variants,
        `${label} ${want.metric} ${day.date}`,
      );
    }
  }
  // Health and sums together, as the analysis job reads them.
  const both = await facts.analysis(scope, metrics);
  expect(both.exposures, `${label} analysis exposures`).toEqual(await full.exposures(scope));
  expectSameSums(both.sums, expected, `${label} analysis`);
}

function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let index = copy.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    [copy[index], copy[other]] = [copy[other] as T, copy[index] as T];
  }
  return copy;
}

/** `items` cut at `count - 1` random places. */
function randomBatches<T>(items: readonly T[], count: number, random: () => number): T[][] {
  const cuts = [
    ...new Set(Array.from({ length: count - 1 }, () => Math.floor(random() * items.length))),
  ].sort((a, b) => a - b);
  const batches: T[][] = [];
  let start = 0;
  for (const cut of [...cuts, items.length]) {
    batches.push(items.slice(start, cut));
    start = cut;
  }
  return batches.filter((batch) => batch.length > 0);
}

function exposure(unitId: string, variant: string, at: string): StoredEvent {
  return {
    eventId: crypto.randomUUID(),
    projectId: baseScope.projectId,
    environmentId: baseScope.environmentId,
    type: 'exposure',
    unitId,
    experiment: baseScope.experimentKey,
    variant,
    eventName: null,
    value: null,
    properties: null,
    occurredAt: at,
    receivedAt: at,
  };
}

function tracked(unitId: string, eventName: string, at: string, value: number | null = null): StoredEvent {
  return {
    ...exposure(unitId, 'none', at),
    type: 'track',
    experiment: null,
    variant: null,
    eventName,
    value,
    properties: JSON.stringify({ currency: 'EUR' }),
  };
}

const hoursAfterStart = (hours: number) => new Date(START.getTime() + hours * HOUR_MS).toISOString();

describe.each(DIALECTS)('analysis over incremental per-unit facts (%s)', (dialect) => {
  let test: TestDatabase | undefined;
  afterEach(async () => {
    await test?.destroy();
    test = undefined;
  });

  async function setUp() {
    test = await createTestDatabase(dialect);
    const facts = analysisQueriesFor(test.database) as FactAnalysisQueries;
    const store = eventStoreFor(test.database);
    return { facts, store, database: test.database };
  }

  it.each([1, 2, 3])(
    'equals the full computation after every batch of randomly ordered events (seed %i)',
    async (seed) => {
      const { facts, store } = await setUp();
      const random = seededRandom(seed * 7919);
      const events = experimentEvents({
        projectId: baseScope.projectId,
        environmentId: baseScope.environmentId,
        otherEnvironmentId: 'staging',
        experimentKey: baseScope.experimentKey,
        units: 120,
        start: START,
        spreadHours: 96,
        seed,
      });
      // Periods cutting through the data: a start after the first exposures, ends before the last
      // exposures and events (so some units, second variants and tracked events fall after it).
      const scopes: AnalysisScope[] = [
        baseScope,
        {
          ...baseScope,
          startAt: hoursAfterStart(6 + random() * 12),
          endAt: hoursAfterStart(60 + random() * 30),
        },
        { ...baseScope, endAt: hoursAfterStart(30 + random() * 30) },
        // Ending after every event (a running experiment analysed now): nothing to take off
        // window-less metrics, so the series is read from the daily facts.
        { ...baseScope, endAt: '2026-12-31T00:00:00.000Z' },
      ];
      const batches = randomBatches(shuffled(events, random), 5, random);
      for (const [index, batch] of batches.entries()) {
        await store.insertBatches([batch]);
        // A metric joins the experiment later (the third batch): its facts are built then.
        const metrics =
          index < 2
            ? [conversion, views]
            : [conversion, views, revenue, revenuePerView, revenueLowCap, revenueMaxCap, revenueFixedCap];
        for (const [scopeIndex, scope] of scopes.entries()) {
          await expectAgree(facts, scope, metrics, `seed ${seed} batch ${index} scope ${scopeIndex}`);
        }
      }
      // Metrics without covariates first: the series counts entering units with a later metric.
      await expectAgree(
        facts,
        scopes[3] as AnalysisScope,
        [views, revenuePerView, conversion],
        `seed ${seed} reordered`,
      );
      // The reference in memory agrees too (the full computation is itself checked elsewhere).
      const final = await facts.metricSums(baseScope, [conversion, revenue]);
      expectSameSums(final, referenceMetricSums(events, baseScope, [conversion, revenue]), 'in memory');
    },
  );

  it('moves a unit’s t0 to a late earlier exposure and recomputes its values; a late second variant makes it mixed', async () => {
    const { facts, store } = await setUp();
    const metrics = [conversion, views];
    await store.insertBatches([
      [
        exposure('u1', 'control', hoursAfterStart(10)),
        exposure('u2', 'treatment', hoursAfterStart(10)),
        tracked('u1', 'purchase', hoursAfterStart(5)),
        tracked('u1', 'purchase', hoursAfterStart(70)),
        tracked('u1', 'view', hoursAfterStart(12)),
        tracked('u2', 'view', hoursAfterStart(12)),
      ],
    ]);
    const before = await facts.metricSums(baseScope, metrics);
    // u1's purchase at +5h is before its exposure (a covariate), the one at +70h after its window.
    expect(before[0]?.variants[0]).toMatchObject({ n: 1, sum: 0 });
    await store.insertBatches([
      [exposure('u1', 'control', hoursAfterStart(1)), exposure('u2', 'control', hoursAfterStart(30))],
    ]);
    const after = await facts.metricSums(baseScope, metrics);
    // Exposed at +1h now, u1 bought inside its 48 hours; u2 saw both variants and is left out.
    expect(after[0]?.variants[0]).toMatchObject({ n: 1, sum: 1 });
    expect(after[0]?.variants[1]).toMatchObject({ n: 0 });
    expect((await facts.exposures(baseScope)).multipleVariantUnits).toBe(1);
    // Before the second variant appeared, u2 still counts.
    const early = { ...baseScope, endAt: hoursAfterStart(20) };
    expect((await facts.exposures(early)).units).toEqual({ control: 1, treatment: 1 });
    await expectAgree(facts, baseScope, metrics, 'late exposures');
    await expectAgree(facts, early, metrics, 'late exposures, early end');
  });

  it('counts a late event inside a window, and takes events after the end of a window-less metric off', async () => {
    const { facts, store } = await setUp();
    await store.insertBatches([[exposure('u1', 'control', hoursAfterStart(10))]]);
    const scope = { ...baseScope, endAt: hoursAfterStart(40) };
    expect((await facts.metricSums(scope, [views]))[0]?.variants[0]?.sum).toBe(0);
    // Arrives after the refresh, but happened inside the window; and one after the end.
    await store.insertBatches([
      [tracked('u1', 'view', hoursAfterStart(20)), tracked('u1', 'view', hoursAfterStart(50))],
    ]);
    expect((await facts.metricSums(scope, [views]))[0]?.variants[0]?.sum).toBe(1);
    expect((await facts.metricSums(baseScope, [views]))[0]?.variants[0]?.sum).toBe(2);
    await expectAgree(facts, scope, [views], 'late events');
  });

  it('interpolates percentile caps between the order statistics, from either end of the values', async () => {
    const { facts, store } = await setUp();
    // Five units spending 10, 20, 30, 40, 50 (and a sixth seeing both variants, left out).
    const units = [10, 20, 30, 40, 50].map((amount, index) => ({ unit: `u${index}`, amount }));
    await store.insertBatches([
      [
        ...units.flatMap(({ unit, amount }, index) => [
          exposure(unit, index % 2 === 0 ? 'control' : 'treatment', hoursAfterStart(1)),
          tracked(unit, 'purchase', hoursAfterStart(2), amount),
        ]),
        exposure('u9', 'control', hoursAfterStart(1)),
        exposure('u9', 'treatment', hoursAfterStart(2)),
        tracked('u9', 'purchase', hoursAfterStart(3), 1000),
      ],
    ]);
    const capped = (value: number): AnalysedMetric => ({
      ...revenue,
      key: `revenue-${value}`,
      capping: { type: 'percentile', value },
    });
    // (5 − 1)·0.9 = 3.6 → 40 + 0.6·10; (5 − 1)·0.3 = 1.2 → 20 + 0.2·10; the maximum; the minimum.
    const metrics = [capped(0.9), capped(0.3), capped(1), capped(0)];
    const { sums } = await facts.analysis(baseScope, metrics);
    expect(sums.map((metric) => metric.cap)).toEqual([46, 22, 50, 10]);
    // Control holds 10, 30, 50: capped at 46 they sum to 86.
    expect(sums[0]?.variants[0]).toMatchObject({ n: 3, sum: 86 });
    await expectAgree(facts, baseScope, metrics, 'interpolated caps');
  });

  it('keys facts by the metric’s definition: an edited window is built afresh, a changed cap is not', async () => {
    const { facts, store, database } = await setUp();
    await store.insertBatches([
      [
        exposure('u1', 'control', hoursAfterStart(10)),
        tracked('u1', 'view', hoursAfterStart(20)),
        tracked('u1', 'view', hoursAfterStart(40)),
      ],
    ]);
    const narrow = { ...views, windowHours: 24 };
    expect((await facts.metricSums(baseScope, [views]))[0]?.variants[0]?.sum).toBe(2);
    expect((await facts.metricSums(baseScope, [narrow]))[0]?.variants[0]?.sum).toBe(1);
    expect(metricFactsHash(narrow)).not.toBe(metricFactsHash(views));
    expect(metricFactsHash({ ...views, capping: { type: 'absolute', value: 1 } })).toBe(
      metricFactsHash(views),
    );
    expect(
      (await facts.metricSums(baseScope, [{ ...views, capping: { type: 'absolute', value: 1 } }]))[0]?.cap,
    ).toBe(1);
    const { rows } = await sql<{ hashes: number }>`select count(distinct metric_id) as hashes
      from analysis_unit_metrics`.execute(database.db);
    expect(Number(rows[0]?.hashes)).toBe(2);
  });

  it('deletes the facts of definitions the experiment’s metrics no longer have, when the job analyses them', async () => {
    const { facts, store, database } = await setUp();
    await store.insertBatches([
      [exposure('u1', 'control', hoursAfterStart(10)), tracked('u1', 'view', hoursAfterStart(40))],
    ]);
    const definitions = async () => {
      const { rows } = await sql<{ metrics: number; units: number }>`select
          (select count(*) from analysis_fact_metrics) as metrics,
          (select count(distinct metric_id) from analysis_unit_metrics) as units`.execute(database.db);
      return { metrics: Number(rows[0]?.metrics), units: Number(rows[0]?.units) };
    };
    await facts.analysis(baseScope, [views, conversion]);
    expect(await definitions()).toEqual({ metrics: 2, units: 2 });
    // The views metric gets a window (a new definition) and conversion leaves the experiment.
    const narrow = { ...views, windowHours: 24 };
    const { sums } = await facts.analysis(baseScope, [narrow]);
    expect(sums[0]?.variants[0]).toMatchObject({ n: 1, sum: 0 });
    expect(await definitions()).toEqual({ metrics: 1, units: 1 });
    await expectAgree(facts, baseScope, [narrow], 'after forgetting');
  });

  it('reads metrics beyond the slots from their own rows, and reuses the slots of removed metrics', async () => {
    const { facts, store, database } = await setUp();
    const random = seededRandom(4242);
    const events = experimentEvents({
      projectId: baseScope.projectId,
      environmentId: baseScope.environmentId,
      otherEnvironmentId: 'staging',
      experimentKey: baseScope.experimentKey,
      units: 80,
      start: START,
      spreadHours: 96,
      seed: 11,
    });
    const batches = randomBatches(shuffled(events, random), 4, random);
    const windowed = (metric: AnalysedMetric, windowHours: number): AnalysedMetric => ({
      ...metric,
      key: `${metric.key}-${windowHours}h`,
      windowHours,
    });
    // Ten definitions for eight slots: the last two (a proportion and a ratio) get none.
    const first = [
      conversion,
      revenue,
      revenuePerView,
      views,
      windowed(views, 12),
      windowed(views, 24),
      windowed(views, 36),
      windowed(views, 48),
      windowed(conversion, 24),
      windowed(revenuePerView, 30),
    ];
    const slots = async () => {
      const { rows } = await sql<{ metric_hash: string; slot: number | null }>`select metric_hash, slot
        from analysis_fact_metrics`.execute(database.db);
      return new Map(rows.map((row) => [row.metric_hash, row.slot === null ? null : Number(row.slot)]));
    };
    const slotOf = async (metric: AnalysedMetric) => (await slots()).get(metricFactsHash(metric));
    await store.insertBatches([batches[0] ?? []]);
    await expectAgree(facts, baseScope, first, 'ten metrics');
    expect(await Promise.all(first.map(slotOf))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, null, null]);

    // Revenue and the 48-hour views leave the experiment: their slots are freed.
    const second = first.filter((metric) => metric !== revenue && metric !== first[7]);
    await store.insertBatches([batches[1] ?? []]);
    await expectAgree(facts, baseScope, second, 'two removed');
    expect((await slots()).size).toBe(8);

    // New definitions take the freed slots (holding the removed metrics' values until rebuilt),
    // the third none; then more events refresh them all.
    const added = [
      windowed(revenue, 168),
      { ...views, key: 'views-late', delayHours: 5 },
      windowed(conversion, 12),
    ];
    const third = [...second, ...added];
    await store.insertBatches([batches[2] ?? []]);
    await expectAgree(facts, baseScope, third, 'three added');
    expect(await Promise.all(added.map(slotOf))).toEqual([1, 7, null]);
    await store.insertBatches(batches.slice(3));
    for (const scope of [baseScope, { ...baseScope, endAt: hoursAfterStart(40) }]) {
      await expectAgree(facts, scope, third, `after the last batch, ending ${scope.endAt}`);
    }
  });

  it('rebuilds when the analysed period starts elsewhere', async () => {
    const { facts, store } = await setUp();
    await store.insertBatches([
      [exposure('u1', 'control', hoursAfterStart(1)), exposure('u1', 'control', hoursAfterStart(20))],
    ]);
    expect((await facts.exposures(baseScope)).firstExposureAt).toBe(hoursAfterStart(1));
    const later = { ...baseScope, startAt: hoursAfterStart(10) };
    expect((await facts.exposures(later)).firstExposureAt).toBe(hoursAfterStart(20));
    expect(await facts.refresh(later, [])).toMatchObject({ rebuilt: false });
  });

  it('forgets facts that depend on events retention dropped, and agrees again afterwards', async () => {
    const { facts, store } = await setUp();
    const events = experimentEvents({
      projectId: baseScope.projectId,
      environmentId: baseScope.environmentId,
      otherEnvironmentId: 'staging',
      experimentKey: baseScope.experimentKey,
      units: 60,
      start: START,
      spreadHours: 96,
      seed: 9,
    });
    await store.insertBatches([events]);
    const metrics = [conversion, views];
    await expectAgree(facts, baseScope, metrics, 'before retention');
    const cutoff = new Date('2026-11-04T00:00:00.000Z');
    expect(await store.dropBefore(cutoff)).toBeGreaterThan(0);
    expect(await facts.forgetEventsBefore(cutoff)).toBe(1);
    expect(await facts.refresh(baseScope, metrics)).toMatchObject({ rebuilt: true, builtMetrics: 2 });
    await expectAgree(facts, baseScope, metrics, 'after retention');
    // Facts that read nothing before the cutoff are kept.
    expect(await facts.forgetEventsBefore(new Date('2026-10-01T00:00:00.000Z'))).toBe(0);
  });

  it("forgets a deleted project's facts, and only its own", async () => {
    const { facts, store, database } = await setUp();
    const other = { ...baseScope, projectId: 'other-project', environmentId: 'other-production' };
    await store.insertBatches([
      [
        exposure('u1', 'control', hoursAfterStart(1)),
        {
          ...exposure('u1', 'control', hoursAfterStart(1)),
          projectId: other.projectId,
          environmentId: other.environmentId,
        },
      ],
    ]);
    await facts.refresh(baseScope, [views]);
    await facts.refresh(other, [views]);
    const setsOf = async (projectId: string) =>
      (
        await database.db
          .selectFrom('analysis_fact_sets')
          .select('id')
          .where('project_id', '=', projectId)
          .execute()
      ).length;
    expect([await setsOf(baseScope.projectId), await setsOf(other.projectId)]).toEqual([1, 1]);

    expect(await facts.forgetProject(baseScope.projectId)).toBe(1);
    expect([await setsOf(baseScope.projectId), await setsOf(other.projectId)]).toEqual([0, 1]);
    const exposures = await database.db.selectFrom('analysis_unit_exposures').select('set_id').execute();
    expect(exposures).toHaveLength(1);
    expect((await facts.exposures(other)).units).toEqual({ control: 1, treatment: 0 });
  });

  it("stores the series' past days, keeps them while new events are later, and recomputes from a late event's day", async () => {
    const { facts, store, database } = await setUp();
    const full = facts.fullComputation;
    // Days of START (Nov 2), Nov 3 and Nov 4: two units exposed on Nov 2, views on each day.
    await store.insertBatches([
      [
        exposure('u1', 'control', hoursAfterStart(1)),
        exposure('u2', 'treatment', hoursAfterStart(2)),
        tracked('u1', 'view', hoursAfterStart(4)),
        tracked('u2', 'view', hoursAfterStart(26)),
        tracked('u1', 'view', hoursAfterStart(50)),
      ],
    ]);
    const series = async () => (await facts.dailySums(baseScope, [views]))[0] as DailySums;
    const expectFull = async (got: DailySums) => {
      const want = (await full.dailySums(baseScope, [views]))[0] as DailySums;
      expect(got.days.map((day) => day.date)).toEqual(want.days.map((day) => day.date));
      for (const [index, day] of want.days.entries())
        expectSameVariants(got.days[index]?.variants ?? [], day.variants, day.date);
    };
    const first = await series();
    expect(first.days.map((day) => day.date)).toEqual(['2026-11-02', '2026-11-03', '2026-11-04']);
    await expectFull(first);
    // Every day but the last is stored, one row per variant.
    const stored = () =>
      database.db
        .selectFrom('analysis_series_days')
        .select(['day', 'variant', 'value_sum'])
        .orderBy('day')
        .orderBy('variant')
        .execute();
    expect((await stored()).map((row) => [row.day, row.variant])).toEqual([
      ['2026-11-02', 'control'],
      ['2026-11-02', 'treatment'],
      ['2026-11-03', 'control'],
      ['2026-11-03', 'treatment'],
    ]);
    // Marks Nov 2's stored point, to see whether a later analysis reads or recomputes it.
    await database.db
      .updateTable('analysis_series_days')
      .set({ value_sum: 1000 })
      .where('day', '=', '2026-11-02')
      .where('variant', '=', 'control')
      .execute();
    // A new event on the last day leaves the earlier points as stored.
    await store.insertBatches([[tracked('u2', 'view', hoursAfterStart(51))]]);
    const later = await series();
    expect(later.days[0]?.variants[0]?.sum).toBe(1000);
    // A late event dated Nov 2 makes Nov 2 on recomputed: the mark is gone, all equal the events'.
    await store.insertBatches([[tracked('u2', 'view', hoursAfterStart(5))]]);
    await expectFull(await series());
    expect(
      (await stored()).find((row) => row.day === '2026-11-02' && row.variant === 'control')?.value_sum,
    ).toBe(1);
    // The stored points go with the facts.
    await facts.forgetProject(baseScope.projectId);
    expect(await stored()).toEqual([]);
    expect(await database.db.selectFrom('analysis_series_state').selectAll().execute()).toEqual([]);
  });

  it('refreshes nothing when no event arrived', async () => {
    const { facts, store } = await setUp();
    await store.insertBatches([[exposure('u1', 'control', hoursAfterStart(1))]]);
    const first = await facts.refresh(baseScope, [views]);
    expect(first).toMatchObject({ rebuilt: true, builtMetrics: 1 });
    expect(await facts.refresh(baseScope, [views])).toEqual({ ...first, rebuilt: false, builtMetrics: 0 });
  });

  it.runIf(dialect === 'postgres')(
    'never skips an insert still in flight when the refresh takes its cut, though a later one committed first',
    async () => {
      const { facts, store, database } = await setUp();
      // Creates the day's partition, so the raw inserts below have somewhere to go.
      await store.insertBatches([[exposure('u0', 'control', hoursAfterStart(1))]]);
      const insert = (event: StoredEvent) =>
        sql`insert into events (event_id, project_id, environment_id, type, unit_id, experiment, variant, occurred_at, received_at)
          values (${event.eventId}, ${event.projectId}, ${event.environmentId}, 'exposure', ${event.unitId},
            ${event.experiment}, ${event.variant}, ${event.occurredAt}, ${event.receivedAt})`;
      let refreshed = false;
      let pending: Promise<void> | undefined;
      await database.db.transaction().execute(async (slow) => {
        // Draws its ingestion number now, commits last.
        await insert(exposure('slow', 'control', hoursAfterStart(2))).execute(slow);
        await insert(exposure('fast', 'control', hoursAfterStart(3))).execute(database.db);
        pending = facts.refresh(baseScope, []).then(() => {
          refreshed = true;
        });
        await new Promise((resolve) => setTimeout(resolve, 300));
        // The refresh waits for the insert in flight rather than reading past it.
        expect(refreshed).toBe(false);
      });
      await pending;
      expect(refreshed).toBe(true);
      expect((await facts.exposures(baseScope)).units.control).toBe(3);
    },
  );
});
