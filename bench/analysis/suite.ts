/**
 * @module The analysis suite: one experiment with 1,000,000 units and 10,000,000 events (exposures
 * plus tracked events), analysed by the same SQL the analysis job runs — per-variant sufficient
 * statistics of 3 metrics, one with CUPED — against the floor of a bare `GROUP BY variant` count
 * over the same exposures, in the same run and database. Goal: the analysis within 3× of that
 * floor on PostgreSQL. The embedded store (SQLite) is measured the same way, for information.
 *
 * The analysis reads incrementally maintained per-unit facts, so the suite also times building
 * them from scratch, refreshing them after 1 % more events arrive (tracked events of known units
 * only, and with new units among them), the full computation from the events they replace, and
 * the daily series (from per-unit daily facts, and once from the events) and the job's reads as a
 * whole; and checks the facts (sums and series) agree with the full computation on the final data.
 *
 * Data is seeded with bulk SQL inside the database (no rows travel through Node). Sizes:
 * `BENCH_ANALYSIS_UNITS` and `BENCH_ANALYSIS_EVENTS` (defaults 1,000,000 and 10,000,000), and for
 * the embedded store `BENCH_ANALYSIS_EMBEDDED_UNITS` / `_EVENTS` (default: the same); a short run,
 * e.g. `BENCH_ANALYSIS_UNITS=50000 BENCH_ANALYSIS_EVENTS=500000 npm run bench -- analysis`.
 * Results go to bench/results/analysis.json.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { analysisQueriesFor } from '../../packages/server/src/adapters/analysis-queries-for.js';
import { connectPostgres } from '../../packages/server/src/adapters/postgres/connect.js';
import { partitionName } from '../../packages/server/src/adapters/postgres/event-partitions.js';
import type { FactAnalysisQueries } from '../../packages/server/src/adapters/sql/analysis-facts.js';
import { migrateToLatest } from '../../packages/server/src/adapters/sql/migrate.js';
import type { SqlDatabase } from '../../packages/server/src/adapters/sql/sql-database.js';
import { connectSqlite } from '../../packages/server/src/adapters/sqlite/connect.js';
import type {
  AnalysedMetric,
  AnalysisScope,
  DailySums,
  MetricSums,
} from '../../packages/server/src/ports/analysis-queries.js';
import { consume, describeEnvironment, printTable, type Suite, writeResults } from '../harness.js';
import { createDatabase, createTempDir } from '../support/services.js';
import { median, round } from '../support/stats.js';

/** The analysis must take at most this many times the bare count on PostgreSQL. */
export const GOAL_RATIO = 3;
/** Timed rounds per measurement (`BENCH_ANALYSIS_ROUNDS`); figures are their median. */
const ROUNDS = Number(process.env.BENCH_ANALYSIS_ROUNDS ?? 3);
const DAY_S = 86_400;

const RESULTS_PATH = fileURLToPath(new URL('../results/analysis.json', import.meta.url));

function size(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
}

const PROJECT = 'bench-project';
const ENVIRONMENT = 'bench-production';
const EXPERIMENT = 'bench-checkout';

/** Every first exposure falls in the 7 days after this; tracked events from 2 days before to 5 after. */
const BASE = new Date(Date.UTC(2026, 10, 1));

const METRICS: AnalysedMetric[] = [
  {
    key: 'purchase',
    type: 'proportion',
    numerator: {
      event: 'purchase',
      aggregation: 'count',
      filters: [{ property: 'currency', operator: 'eq', value: 'EUR' }],
    },
    delayHours: 0,
    windowHours: 72,
  },
  {
    key: 'revenue',
    type: 'mean',
    numerator: { event: 'purchase', aggregation: 'sum' },
    delayHours: 0,
    capping: { type: 'percentile', value: 0.99 },
    covariateDays: 14,
  },
  {
    key: 'views',
    type: 'mean',
    numerator: { event: 'view', aggregation: 'count' },
    delayHours: 0,
    windowHours: 48,
  },
];

const SCOPE: AnalysisScope = {
  projectId: PROJECT,
  environmentId: ENVIRONMENT,
  experimentKey: EXPERIMENT,
  variations: ['control', 'treatment'],
  endAt: new Date(BASE.getTime() + 14 * DAY_S * 1000).toISOString(),
};

/**
 * The rows, as SQL over a sequence `i` (1…units for exposures, 1…tracked for events). Unit u's
 * first exposure is at BASE + (u·7919 mod 7 days); a tracked event j belongs to unit 1 + j mod
 * units, at its unit's exposure −2 days … +5 days; half views, 30 % add_to_cart, 20 % purchases
 * (value 0.5–99.5, EUR or USD).
 */
const exposureTime = (unit: string) => `(${unit} * 7919) % ${7 * DAY_S}`;
const trackedOffset = (row: string) => `((${row} * 104729) % ${7 * DAY_S}) - ${2 * DAY_S}`;

/**
 * Rows to add: exposures of units `firstUnit…lastUnit` (none when lastUnit < firstUnit) and tracked
 * events `firstRow…lastRow` spread over units 1…`allUnits`. Ids never collide with earlier rows.
 */
interface Rows {
  firstUnit: number;
  lastUnit: number;
  firstRow: number;
  lastRow: number;
  allUnits: number;
  /** Offset of the tracked rows' ids after the units' (the seed's unit count). */
  idBase: number;
  /** Offset of the exposures' ids (PostgreSQL), so new units' ids stay clear of tracked rows'. */
  exposureIdBase: number;
}

async function insertPostgres(database: SqlDatabase, rows: Rows): Promise<void> {
  const { db } = database;
  const base = `timestamptz '${BASE.toISOString()}'`;
  if (rows.lastUnit >= rows.firstUnit) {
    await sql
      .raw(
        `insert into events (event_id, project_id, environment_id, type, unit_id, experiment, variant, properties, occurred_at, received_at)
         select lpad(to_hex(${rows.exposureIdBase} + i), 32, '0')::uuid, '${PROJECT}', '${ENVIRONMENT}', 'exposure', 'unit-' || i, '${EXPERIMENT}',
           case when (i * 2654435761) % 1000 < 500 then 'control' else 'treatment' end,
           jsonb_build_object('country', (array['NL','DE','FR','US','BR'])[1 + i % 5]),
           ${base} + make_interval(secs => ${exposureTime('i')}), ${base}
         from generate_series(${rows.firstUnit}::bigint, ${rows.lastUnit}) as i`,
      )
      .execute(db);
  }
  // In chunks: one statement of 9 million rows holds a lot of WAL and memory at once.
  const chunk = 1_000_000;
  for (let start = rows.firstRow; start <= rows.lastRow; start += chunk) {
    const end = Math.min(rows.lastRow, start + chunk - 1);
    await sql
      .raw(
        `insert into events (event_id, project_id, environment_id, type, unit_id, event_name, value, properties, occurred_at, received_at)
         select lpad(to_hex(${rows.idBase} + j), 32, '0')::uuid, '${PROJECT}', '${ENVIRONMENT}', 'track', 'unit-' || (1 + j % ${rows.allUnits}),
           case when j % 10 < 5 then 'view' when j % 10 < 8 then 'add_to_cart' else 'purchase' end,
           case when j % 10 >= 8 then (j % 100) + 0.5 end,
           case when j % 10 >= 8 then jsonb_build_object('currency', case when j % 3 = 0 then 'USD' else 'EUR' end) end,
           ${base} + make_interval(secs => ${exposureTime(`(1 + j % ${rows.allUnits})`)} + ${trackedOffset('j')}), ${base}
         from generate_series(${start}::bigint, ${end}) as j`,
      )
      .execute(db);
  }
}

async function insertSqlite(database: SqlDatabase, rows: Rows): Promise<void> {
  const { db } = database;
  const base = `'${BASE.toISOString()}'`;
  const at = (seconds: string) =>
    `strftime('%Y-%m-%dT%H:%M:%fZ', ${base}, printf('%+d seconds', ${seconds}))`;
  if (rows.lastUnit >= rows.firstUnit) {
    await sql
      .raw(
        `insert into events (event_id, project_id, environment_id, type, unit_id, experiment, variant, properties, occurred_at, received_at)
         with recursive seq(i) as (select ${rows.firstUnit} union all select i + 1 from seq where i < ${rows.lastUnit})
         select printf('x%012d', i), '${PROJECT}', '${ENVIRONMENT}', 'exposure', 'unit-' || i, '${EXPERIMENT}',
           case when (i * 2654435761) % 1000 < 500 then 'control' else 'treatment' end,
           json_object('country', substr('NLDEFRUSBR', 1 + (i % 5) * 2, 2)),
           ${at(exposureTime('i'))}, ${base}
         from seq`,
      )
      .execute(db);
  }
  await sql
    .raw(
      `insert into events (event_id, project_id, environment_id, type, unit_id, event_name, value, properties, occurred_at, received_at)
       with recursive seq(j) as (select ${rows.firstRow} union all select j + 1 from seq where j < ${rows.lastRow})
       select printf('y%012d', j), '${PROJECT}', '${ENVIRONMENT}', 'track', 'unit-' || (1 + j % ${rows.allUnits}),
         case when j % 10 < 5 then 'view' when j % 10 < 8 then 'add_to_cart' else 'purchase' end,
         case when j % 10 >= 8 then (j % 100) + 0.5 end,
         case when j % 10 >= 8 then json_object('currency', case when j % 3 = 0 then 'USD' else 'EUR' end) end,
         ${at(`${exposureTime(`(1 + j % ${rows.allUnits})`)} + ${trackedOffset('j')}`)}, ${base}
       from seq`,
    )
    .execute(db);
}

async function seedPostgres(database: SqlDatabase, units: number, tracked: number): Promise<void> {
  const { db } = database;
  // Day partitions the rows fall in (the writer creates them as days arrive in production).
  for (let day = -3; day <= 15; day++) {
    const from = new Date(BASE.getTime() + day * DAY_S * 1000).toISOString().slice(0, 10);
    const to = new Date(BASE.getTime() + (day + 1) * DAY_S * 1000).toISOString();
    await sql
      .raw(
        `create table if not exists ${partitionName(from)} partition of events for values from ('${from}T00:00:00Z') to ('${to}')`,
      )
      .execute(db);
  }
  await insertPostgres(database, {
    firstUnit: 1,
    lastUnit: units,
    firstRow: 1,
    lastRow: tracked,
    allUnits: units,
    idBase: units,
    exposureIdBase: 0,
  });
  await sql`vacuum analyze events`.execute(db);
}

async function seedSqlite(database: SqlDatabase, units: number, tracked: number): Promise<void> {
  await insertSqlite(database, {
    firstUnit: 1,
    lastUnit: units,
    firstRow: 1,
    lastRow: tracked,
    allUnits: units,
    idBase: units,
    exposureIdBase: 0,
  });
  await sql`analyze`.execute(database.db);
}

/**
 * The floor: what any analysis must at least do, count the experiment's exposures per variant.
 * `withoutJit`: the same with PostgreSQL's JIT compilation off (the analysis runs without it; the
 * bare count, planned with default settings, spends much of its time compiling).
 */
async function floor(database: SqlDatabase, withoutJit = false): Promise<number> {
  const count = sql<{ variant: string; units: number }>`
    select variant, count(*) as units from events
    where project_id = ${PROJECT} and environment_id = ${ENVIRONMENT} and type = 'exposure' and experiment = ${EXPERIMENT}
    group by variant`;
  const result = withoutJit
    ? await database.db.transaction().execute(async (trx) => {
        await sql`set local jit = off`.execute(trx);
        return count.execute(trx);
      })
    : await count.execute(database.db);
  return result.rows.reduce((total, row) => total + Number(row.units), 0);
}

interface StoreResult {
  readonly store: 'postgres' | 'sqlite';
  readonly units: number;
  readonly events: number;
  readonly seedSeconds: number;
  readonly floorMs: number;
  /** PostgreSQL: the bare count with JIT compilation off, a stricter floor (for information). */
  readonly floorWithoutJitMs?: number;
  readonly analysisRatioWithoutJit?: number;
  /** Building the per-unit facts of the 3 metrics from scratch (once per experiment and metric). */
  readonly factsBuildMs: number;
  /** Exposure health plus the 3 metrics' sufficient statistics over up-to-date facts: the goal. */
  readonly analysisMs: number;
  readonly analysisRatio: number;
  /** Refreshing the facts after 1 % more events, all tracked events of known units. */
  readonly refreshTrackedMs: number;
  /** The same with new units among them (1 % more units: their values read their whole history). */
  readonly refreshNewUnitsMs: number;
  /** The full computation from the events the facts replace (the reference path). */
  readonly fullComputationMs: number;
  readonly fullComputationRatio: number;
  /**
   * The daily series right after the refreshes above, whose late events fall on every day: every
   * stored day recomputed from the per-unit daily facts (what late data costs, once).
   */
  readonly seriesRecomputeMs: number;
  /**
   * The daily series given the analysis' sums, with its stored days current (the steady state of
   * a running experiment).
   */
  readonly seriesMs: number;
  readonly seriesRatio: number;
  /** The same series computed from the events (once, the reference the daily facts replace). */
  readonly fullSeriesMs: number;
  /** The analysis job's reads: health and sums, then the series given those sums (each with its refresh). */
  readonly jobMs: number;
  readonly jobRatio: number;
  /** The facts' results equal the full computation's on the final data. */
  readonly agrees: boolean;
}

async function timed(work: () => Promise<number>, rounds = ROUNDS): Promise<number[]> {
  const times: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const started = performance.now();
    consume(await work());
    times.push(performance.now() - started);
  }
  return times;
}

async function once(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

/** Whether two analyses agree: the same units, sums equal up to floating-point summation order. */
function agree(a: MetricSums[], b: MetricSums[]): boolean {
  const close = (x: number, y: number) => Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(y));
  return (
    a.length === b.length &&
    a.every((metric, index) => {
      const other = b[index];
      if (!other || !close(metric.cap ?? 0, other.cap ?? 0)) return false;
      return metric.variants.every((variant, variantIndex) => {
        const twin = other.variants[variantIndex];
        return (
          twin !== undefined &&
          variant.n === twin.n &&
          close(variant.sum, twin.sum) &&
          close(variant.sumSquares, twin.sumSquares) &&
          close(variant.covariate?.sumProduct ?? 0, twin.covariate?.sumProduct ?? 0) &&
          close(variant.denominator?.sumProduct ?? 0, twin.denominator?.sumProduct ?? 0)
        );
      });
    })
  );
}

async function measureStore(
  store: 'postgres' | 'sqlite',
  database: SqlDatabase,
  units: number,
  events: number,
): Promise<StoreResult> {
  await migrateToLatest(database);
  const seedStarted = performance.now();
  const tracked = events - units;
  if (store === 'postgres') await seedPostgres(database, units, tracked);
  else await seedSqlite(database, units, tracked);
  const seedSeconds = (performance.now() - seedStarted) / 1000;
  const queries = analysisQueriesFor(database) as FactAnalysisQueries;
  const full = queries.fullComputation;
  const insert = store === 'postgres' ? insertPostgres : insertSqlite;
  // Warm the caches once so neither side pays for cold pages (the seed just wrote every page the
  // analysis reads, so one pass over the exposures is enough).
  await floor(database);
  const floorMs = median(await timed(() => floor(database)));
  const floorWithoutJitMs =
    store === 'postgres' ? median(await timed(() => floor(database, true))) : undefined;

  const factsBuildMs = await once(() => queries.refresh(SCOPE, METRICS));
  const analyse = async (analysis: typeof queries | typeof full) => {
    const { exposures, sums } = await analysis.analysis(SCOPE, METRICS);
    return (exposures.units.control ?? 0) + (sums[0]?.variants[0]?.sum ?? 0);
  };
  const analysisMs = median(await timed(() => analyse(queries)));

  // 1 % more events per round, inserted untimed; the refresh that takes them in is timed.
  const batch = Math.max(1, Math.round(events / 100));
  let lastRow = tracked;
  let allUnits = units;
  const refreshAfter = async (newUnits: number) => {
    const times: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const firstUnit = allUnits + 1;
      allUnits += newUnits;
      await insert(database, {
        firstUnit,
        lastUnit: allUnits,
        firstRow: lastRow + 1,
        lastRow: lastRow + batch - newUnits,
        allUnits,
        idBase: units,
        exposureIdBase: 1_000_000_000_000,
      });
      lastRow += batch - newUnits;
      times.push(await once(() => queries.refresh(SCOPE, METRICS)));
    }
    return median(times);
  };
  const refreshTrackedMs = await refreshAfter(0);
  const refreshNewUnitsMs = await refreshAfter(Math.max(1, Math.round(units / 100)));

  const fullComputationMs = median(await timed(() => analyse(full)));
  // The series given the analysis' sums (its last day), as the job reads it. The refreshes above
  // brought events on every day, so the first one recomputes every stored day.
  const { sums: totals } = await queries.analysis(SCOPE, METRICS);
  const seriesRecomputeMs = await once(() => queries.dailySums(SCOPE, METRICS, totals));
  const seriesMs = median(
    await timed(async () => (await queries.dailySums(SCOPE, METRICS, totals))[0]?.days.length ?? 0),
  );
  const jobMs = median(
    await timed(async () => {
      const { exposures, sums } = await queries.analysis(SCOPE, METRICS);
      const series = await queries.dailySums(SCOPE, METRICS, sums);
      return (exposures.units.control ?? 0) + (series[0]?.days.length ?? 0);
    }),
  );
  let fullSeries: DailySums[] = [];
  const fullSeriesMs = await once(async () => {
    fullSeries = await full.dailySums(SCOPE, METRICS);
  });
  const series = await queries.dailySums(SCOPE, METRICS);
  const seriesAgree =
    series.length === fullSeries.length &&
    series.every((metric, index) => {
      const other = fullSeries[index];
      return (
        other !== undefined &&
        metric.days.length === other.days.length &&
        metric.days.every((day, dayIndex) => {
          const twin = other.days[dayIndex];
          return (
            twin !== undefined &&
            day.date === twin.date &&
            agree(
              [{ metric: metric.metric, variants: day.variants }],
              [{ metric: metric.metric, variants: twin.variants }],
            )
          );
        })
      );
    });
  const agrees =
    seriesAgree && agree(await queries.metricSums(SCOPE, METRICS), await full.metricSums(SCOPE, METRICS));
  return {
    store,
    units,
    events,
    seedSeconds: round(seedSeconds, 1),
    floorMs: round(floorMs, 1),
    factsBuildMs: round(factsBuildMs, 1),
    analysisMs: round(analysisMs, 1),
    analysisRatio: round(analysisMs / floorMs, 2),
    ...(floorWithoutJitMs !== undefined && {
      floorWithoutJitMs: round(floorWithoutJitMs, 1),
      analysisRatioWithoutJit: round(analysisMs / floorWithoutJitMs, 2),
    }),
    refreshTrackedMs: round(refreshTrackedMs, 1),
    refreshNewUnitsMs: round(refreshNewUnitsMs, 1),
    fullComputationMs: round(fullComputationMs, 1),
    fullComputationRatio: round(fullComputationMs / floorMs, 2),
    seriesRecomputeMs: round(seriesRecomputeMs, 1),
    seriesMs: round(seriesMs, 1),
    seriesRatio: round(seriesMs / floorMs, 2),
    fullSeriesMs: round(fullSeriesMs, 1),
    jobMs: round(jobMs, 1),
    jobRatio: round(jobMs / floorMs, 2),
    agrees,
  };
}

export const suite: Suite = {
  name: 'analysis',
  description: `experiment analysis in SQL (3 metrics, one with CUPED) vs a bare GROUP BY variant count; goal ≤ ${GOAL_RATIO}× on PostgreSQL`,
  async run() {
    const units = size('BENCH_ANALYSIS_UNITS', 1_000_000);
    const events = size('BENCH_ANALYSIS_EVENTS', 10_000_000);
    const embeddedUnits = size('BENCH_ANALYSIS_EMBEDDED_UNITS', units);
    const embeddedEvents = size('BENCH_ANALYSIS_EMBEDDED_EVENTS', events);
    if (events <= units || embeddedEvents <= embeddedUnits)
      throw new Error('the events must outnumber the units (one exposure per unit, the rest tracked events)');
    const results: StoreResult[] = [];

    const postgresDatabase = await createDatabase('cleave_bench_analysis');
    const postgres = connectPostgres(postgresDatabase.url, { maxConnections: 2 });
    try {
      results.push(await measureStore('postgres', postgres, units, events));
      console.log(JSON.stringify(results.at(-1)));
    } finally {
      await postgres.close();
      await postgresDatabase.drop();
    }

    const directory = createTempDir('cleave-bench-analysis');
    const sqlite = connectSqlite(join(directory.path, 'cleave.db'));
    try {
      results.push(await measureStore('sqlite', sqlite, embeddedUnits, embeddedEvents));
      console.log(JSON.stringify(results.at(-1)));
    } finally {
      await sqlite.close();
      directory.remove();
    }

    printTable(
      `median of ${ROUNDS} rounds (facts build: once)`,
      [
        'store',
        'units',
        'events',
        'seed s',
        'floor ms',
        'facts build ms',
        'analysis ms',
        '× floor',
        'floor no JIT ms',
        '× floor no JIT',
        'refresh +1% ms',
        'with new units ms',
        'full computation ms',
        '× floor',
        'series recomputed ms',
        'series ms',
        '× floor',
        'series from events ms',
        'job ms',
        '× floor',
        'agrees',
      ],
      results.map((result) => [
        result.store,
        result.units.toLocaleString('en-US'),
        result.events.toLocaleString('en-US'),
        String(result.seedSeconds),
        String(result.floorMs),
        String(result.factsBuildMs),
        String(result.analysisMs),
        String(result.analysisRatio),
        String(result.floorWithoutJitMs ?? '–'),
        String(result.analysisRatioWithoutJit ?? '–'),
        String(result.refreshTrackedMs),
        String(result.refreshNewUnitsMs),
        String(result.fullComputationMs),
        String(result.fullComputationRatio),
        String(result.seriesRecomputeMs),
        String(result.seriesMs),
        String(result.seriesRatio),
        String(result.fullSeriesMs),
        String(result.jobMs),
        String(result.jobRatio),
        result.agrees ? 'yes' : 'NO',
      ]),
    );
    const postgresResult = results.find((result) => result.store === 'postgres');
    const met =
      postgresResult !== undefined &&
      postgresResult.analysisRatio <= GOAL_RATIO &&
      postgresResult.jobRatio <= GOAL_RATIO &&
      postgresResult.agrees;
    console.log(
      `goal (PostgreSQL analysis, and the job's reads with the series, ≤ ${GOAL_RATIO}× the bare count): ${met ? 'met' : 'NOT met'} (analysis ${postgresResult?.analysisRatio}×, job ${postgresResult?.jobRatio}×)`,
    );
    writeResults(RESULTS_PATH, {
      suite: 'analysis',
      goal: `analysis of one experiment (exposure health + 3 metrics' sufficient statistics, one with CUPED) at most ${GOAL_RATIO}× a bare GROUP BY variant count over the same exposures, PostgreSQL`,
      environment: describeEnvironment(),
      method: {
        data: 'seeded with bulk SQL in the database: one exposure per unit over 7 days, tracked events (50% view, 30% add_to_cart, 20% purchase with a value and a currency) from 2 days before to 5 days after their unit’s exposure',
        metrics: METRICS,
        floor: 'select variant, count(*) from events where <the experiment’s exposures> group by variant',
        floorWithoutJit: 'the same with set local jit = off (PostgreSQL; the analysis runs without JIT)',
        factsBuild:
          'the first refresh of the per-unit facts: first exposures and the 3 metrics’ per-unit values from every event',
        analysis:
          'AnalysisQueries.analysis (exposure health + metric sums, what the analysis job reads) over up-to-date per-unit facts, including its refresh finding nothing new',
        refresh:
          'refreshing the facts after 1 % more events: tracked events of known units; then the same with 1 % new units (their values read their whole pre-exposure history)',
        fullComputation: 'the same computed from the events (the reference the facts replace)',
        series:
          'dailySums over the per-unit facts (including its refresh, finding nothing new): seriesRecompute once right after the refreshes, whose late events fall on every day (every stored day recomputed from the per-unit daily facts); series with the stored days current; fullSeries: the same from the events (one full computation per day), once',
        job: 'what the analysis job reads: AnalysisQueries.analysis, then dailySums given its sums (the last day)',
        agrees:
          'the facts’ sums and every day of their series equal the full computation’s on the final data',
        rounds: ROUNDS,
      },
      results,
      goalMet: met,
    });
  },
};
