/**
 * @module adapters/sql/analysis-series
 * The daily series (the effect-over-time chart): for each UTC day from the first counted
 * exposure's day to the last day with data, the metric's per-variant sums **as the analysis would
 * have computed them at the end of that day** — only exposures and events that occurred before
 * it, percentile caps over the units and values of that moment — and, on the last day, the
 * analysis itself (docs/analysis.md, "Daily series").
 *
 * A past day's point changes only when an exposure or event dated before its end arrives late, so
 * over the per-unit facts the points are stored (`analysis_series_days`) with the ingestion order
 * they are current at, and an analysis recomputes just the days at or after the earliest event
 * stored since: with live traffic, none but the last, which is the analysis's own totals.
 */
import { type Kysely, type RawBuilder, sql, type Transaction } from 'kysely';
import type {
  AnalysedMetric,
  AnalysisScope,
  DailySums,
  MetricSums,
  VariantSums,
} from '../../ports/analysis-queries.js';
import {
  type AnalysisSqlDialect,
  columns,
  eventNamesOf,
  momentSums,
  type Row,
  toIso,
  variantSums,
} from './analysis-sql.js';
import type { Database } from './database.js';

type Fragment = RawBuilder<unknown>;

const DAY_MS = 24 * 60 * 60 * 1000;

/** The series' first and last UTC day (`YYYY-MM-DD`), both included. */
export interface SeriesRange {
  first: string;
  last: string;
}

/** A day's end: the next day's midnight, UTC, as ISO-8601. */
export function endOfDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00.000Z`) + DAY_MS).toISOString();
}

/** Every UTC day of `range`, in order. */
export function daysOf(range: SeriesRange): string[] {
  const days: string[] = [];
  for (let day = range.first; day <= range.last; day = endOfDay(day).slice(0, 10)) days.push(day);
  return days;
}

/**
 * The series' days: from the day of the first exposure counted (at or after `startAt`, before
 * `endAt`) to the last day with a counted exposure or an event of a name the metrics read (before
 * `endAt`). Read as index probes (`events_exposure_idx`, `events_track_idx`): one per bound and
 * event name. Undefined without counted exposures.
 */
export async function seriesRange(
  db: Transaction<Database> | Kysely<Database>,
  dialect: AnalysisSqlDialect,
  scope: AnalysisScope,
  metrics: readonly AnalysedMetric[],
): Promise<SeriesRange | undefined> {
  const endAt = dialect.time(scope.endAt);
  const counted = sql`from events where project_id = ${scope.projectId}
    and environment_id = ${scope.environmentId} and type = 'exposure' and experiment = ${scope.experimentKey}
    ${scope.startAt ? sql`and occurred_at >= ${dialect.time(scope.startAt)}` : sql``} and occurred_at < ${endAt}`;
  const tracked = eventNamesOf(metrics).map(
    (name) => sql`(select max(occurred_at) from events where project_id = ${scope.projectId}
      and environment_id = ${scope.environmentId} and event_name = ${name} and type = 'track'
      and occurred_at < ${endAt})`,
  );
  const { rows } = await sql<Row>`select (select min(occurred_at) ${counted}) as first_exposure,
      (select max(occurred_at) ${counted}) as last_exposure
      ${sql.join(
        tracked.map((probe, index) => sql`, ${probe} as ${sql.raw(`last_event_${index}`)}`),
        sql``,
      )}`.execute(db);
  const row = rows[0] ?? {};
  const first = toIso(row.first_exposure);
  if (!first) return undefined;
  const last = Object.entries(row)
    .filter(([column]) => column !== 'first_exposure')
    .map(([, value]) => toIso(value))
    .reduce<string>((latest, time) => (time && time > latest ? time : latest), first);
  return { first: first.slice(0, 10), last: last.slice(0, 10) };
}

/** The series of metrics with no counted exposure: no days. */
export function noSeries(metrics: readonly AnalysedMetric[]): DailySums[] {
  return metrics.map((metric) => ({ metric: metric.key, days: [] }));
}

/**
 * Assembles the series from each earlier day's point and the last day's `totals` (the analysis
 * itself), metric by metric in `metrics` order.
 */
export function seriesOf(
  metrics: readonly AnalysedMetric[],
  days: readonly string[],
  earlier: readonly (readonly VariantSums[])[][],
  totals: readonly MetricSums[],
): DailySums[] {
  return metrics.map((metric, index) => ({
    metric: metric.key,
    days: days.map((date, dayIndex) => ({
      date,
      variants:
        dayIndex === days.length - 1
          ? (totals[index]?.variants ?? [])
          : (earlier[index]?.[dayIndex] ?? []).map((sums) => ({ ...sums })),
    })),
  }));
}

/**
 * A percentile of `counted` values (linear between the order statistics at floor and ceil of
 * (counted − 1)·fraction, as `percentile_cont`), given a reader of `limit` values from `offset`
 * in ascending or descending order: it walks from whichever end is nearer. Proportions rank
 * their 0/1 values, which thresholding keeps in order.
 */
export async function percentileOf(
  metric: AnalysedMetric,
  fraction: number,
  counted: number,
  read: (ascending: boolean, limit: number, offset: number) => Promise<unknown[]>,
): Promise<number | undefined> {
  if (counted === 0) return undefined;
  const rank = (counted - 1) * fraction;
  const lower = Math.floor(rank);
  const hasUpper = lower + 1 <= counted - 1;
  // Ascending position `lower` is descending position counted − 1 − lower.
  const ascending = lower < counted / 2;
  const offset = ascending ? lower : hasUpper ? counted - 2 - lower : 0;
  const values = (await read(ascending, hasUpper ? 2 : 1, offset)).map((raw) => {
    const value = Number(raw);
    return metric.type === 'proportion' ? (value > 0 ? 1 : 0) : value;
  });
  if (!ascending) values.reverse();
  const low = values[0];
  if (low === undefined) return undefined;
  const high = values[1] ?? low;
  return low + (rank - lower) * (high - low);
}

/** What a stored point depends on beyond its facts: the cap and the variations analysed. */
function settingsKey(scope: AnalysisScope, metric: AnalysedMetric): string {
  return JSON.stringify({ capping: metric.capping ?? null, variations: scope.variations });
}

const STORED_COLUMNS = [
  ['value_sum', 'x_sum'],
  ['value_squares', 'x_squares'],
  ['covariate_sum', 'c_sum'],
  ['covariate_squares', 'c_squares'],
  ['covariate_product', 'c_product'],
  ['denominator_sum', 'd_sum'],
  ['denominator_squares', 'd_squares'],
  ['denominator_product', 'd_product'],
] as const;

/** One metric's facts, as the stored series reads them. */
export interface SeriesFacts {
  metric: AnalysedMetric;
  metricId: number;
}

/**
 * The points of every day but the last, from the per-unit facts: stored ones that no event
 * stored since can have changed, the others computed from `analysis_unit_days` and stored.
 */
export class StoredSeries {
  constructor(
    private readonly trx: Transaction<Database>,
    private readonly dialect: AnalysisSqlDialect,
    /** SQL naming the ingestion order of events aliased `t`. */
    private readonly ingestOrder: string,
    /** The fact set's watermark: the facts hold every event stored up to it. */
    private readonly watermark: number,
  ) {}

  /** Each of `days`' points (per variant, in `scope.variations` order). */
  async points(scope: AnalysisScope, facts: SeriesFacts, days: readonly string[]): Promise<VariantSums[][]> {
    if (days.length === 0) return [];
    const { trx } = this;
    const { metric, metricId } = facts;
    const key = settingsKey(scope, metric);
    const state = await trx
      .selectFrom('analysis_series_state')
      .select('watermark')
      .where('metric_id', '=', metricId)
      .where('settings_key', '=', key)
      .executeTakeFirst();
    const validBefore = state ? await this.validBefore(scope, metric, Number(state.watermark)) : '';
    if (validBefore !== undefined)
      await trx
        .deleteFrom('analysis_series_days')
        .where('metric_id', '=', metricId)
        .where('settings_key', '=', key)
        .where('day', '>=', validBefore)
        .execute();
    const stored = await trx
      .selectFrom('analysis_series_days')
      .selectAll()
      .where('metric_id', '=', metricId)
      .where('settings_key', '=', key)
      .where('day', '>=', days[0] as string)
      .where('day', '<=', days[days.length - 1] as string)
      .execute();
    const byDay = new Map<string, Map<string, VariantSums>>();
    for (const row of stored) {
      const variants = byDay.get(row.day) ?? new Map<string, VariantSums>();
      variants.set(row.variant, fromStored(metric, row));
      byDay.set(row.day, variants);
    }
    const points: VariantSums[][] = [];
    for (const day of days) {
      let variants = byDay.get(day);
      if (!variants) {
        const computed = await this.compute(scope, facts, day);
        await trx
          .insertInto('analysis_series_days')
          .values(computed.map((sums) => toStored(metricId, key, day, sums)))
          .execute();
        variants = new Map(computed.map((sums) => [sums.variant, sums]));
      }
      points.push(
        scope.variations.map((variation) => variants.get(variation) ?? emptySums(metric, variation)),
      );
    }
    if (!state)
      await trx
        .insertInto('analysis_series_state')
        .values({ metric_id: metricId, settings_key: key, watermark: this.watermark })
        .execute();
    else if (Number(state.watermark) !== this.watermark)
      await trx
        .updateTable('analysis_series_state')
        .set({ watermark: this.watermark })
        .where('metric_id', '=', metricId)
        .where('settings_key', '=', key)
        .execute();
    return points;
  }

  /**
   * The first day whose stored point the events stored after `since` can have changed: the day of
   * the earliest of them that the point reads (an exposure of the experiment, an event of a name
   * the metric reads). Undefined when none: every stored point is current.
   */
  private async validBefore(
    scope: AnalysisScope,
    metric: AnalysedMetric,
    since: number,
  ): Promise<string | undefined> {
    if (since >= this.watermark) return undefined;
    const order = sql.raw(this.ingestOrder);
    const { rows } = await sql<Row>`select min(t.occurred_at) as earliest from events t
      where ${order} > ${sql`cast(${since} as bigint)`} and ${order} <= ${sql`cast(${this.watermark} as bigint)`}
        and t.project_id = ${scope.projectId} and t.environment_id = ${scope.environmentId}
        and ((t.type = 'exposure' and t.experiment = ${scope.experimentKey})
          or (t.type = 'track' and t.event_name in (${sql.join(eventNamesOf([metric]))})))`.execute(this.trx);
    return toIso(rows[0]?.earliest)?.slice(0, 10);
  }

  /**
   * Day `day`'s point: the units analysed at its end (exposed before it, not yet mixed) with their
   * values as of then — the sum of their daily changes up to that day — capped at that moment's
   * percentile (or the absolute cap).
   */
  private async compute(scope: AnalysisScope, facts: SeriesFacts, day: string): Promise<VariantSums[]> {
    const { dialect, trx } = this;
    const { metric, metricId } = facts;
    const endAt = dialect.time(endOfDay(day));
    const analysed = sql`f.metric_id = ${sql`cast(${metricId} as bigint)`} and f.t0 < ${endAt}
      and (f.mixed_at is null or f.mixed_at >= ${endAt}) and f.variant in (${sql.join(scope.variations)})`;
    const values = sql`from analysis_unit_metrics f left join (
        select unit_id, sum(value) as x, sum(denominator) as d from analysis_unit_days
        where metric_id = ${sql`cast(${metricId} as bigint)`} and day <= ${day} group by unit_id
      ) v on v.unit_id = f.unit_id
      where ${analysed}`;
    let cap: number | undefined;
    if (metric.capping?.type === 'absolute') cap = metric.capping.value;
    else if (metric.capping?.type === 'percentile') {
      const { rows } =
        await sql<Row>`select count(*) as units from analysis_unit_metrics f where ${analysed}`.execute(trx);
      cap = await percentileOf(
        metric,
        metric.capping.value,
        Number(rows[0]?.units ?? 0),
        async (ascending, limit, offset) => {
          const ordered = await sql<Row>`select coalesce(v.x, 0) as value ${values}
          order by value ${sql.raw(ascending ? 'asc' : 'desc')} limit ${limit} offset ${offset}`.execute(trx);
          return ordered.rows.map((row) => row.value);
        },
      );
    }
    const names = columns(0);
    const analysedValue = (value: Fragment) => {
      const thresholded =
        metric.type === 'proportion' ? sql`case when ${value} > 0 then 1 else 0 end` : value;
      if (cap === undefined) return thresholded;
      const limit = dialect.float(sql`${cap}`);
      return sql`case when ${thresholded} <= ${limit} then ${thresholded} else ${limit} end`;
    };
    const perUnit = [sql`${analysedValue(sql`coalesce(v.x, 0)`)} as ${sql.raw(names.value)}`];
    if (metric.denominator) perUnit.push(sql`coalesce(v.d, 0) as ${sql.raw(names.denominator)}`);
    if (metric.covariateDays !== undefined)
      perUnit.push(sql`${analysedValue(sql`coalesce(f.covariate, 0)`)} as ${sql.raw(names.covariate)}`);
    if (metric.capping) perUnit.push(sql`${dialect.float(sql`${cap ?? null}`)} as ${sql.raw(names.cap)}`);
    const { rows } = await sql<Row>`select variant, count(*) as n, ${sql.join(momentSums(dialect, metric, 0))}
      from (select f.variant, ${sql.join(perUnit)} ${values}) unit_values
      group by variant`.execute(trx);
    return scope.variations.map((variation) =>
      variantSums(
        metric,
        0,
        variation,
        rows.find((row) => row.variant === variation),
      ),
    );
  }
}

function emptySums(metric: AnalysedMetric, variant: string): VariantSums {
  return variantSums(metric, 0, variant, undefined);
}

function fromStored(metric: AnalysedMetric, row: Record<string, unknown>): VariantSums {
  const names = columns(0);
  const renamed: Row = { n: row.n };
  for (const [stored, suffix] of STORED_COLUMNS) {
    const [side, moment] = suffix.split('_') as [string, string];
    const column = side === 'x' ? names.value : side === 'c' ? names.covariate : names.denominator;
    renamed[`${column}_${moment}`] = row[stored];
  }
  return variantSums(metric, 0, String(row.variant), renamed);
}

function toStored(metricId: number, key: string, day: string, sums: VariantSums) {
  return {
    metric_id: metricId,
    settings_key: key,
    day,
    variant: sums.variant,
    n: sums.n,
    value_sum: sums.sum,
    value_squares: sums.sumSquares,
    covariate_sum: sums.covariate?.sum ?? null,
    covariate_squares: sums.covariate?.sumSquares ?? null,
    covariate_product: sums.covariate?.sumProduct ?? null,
    denominator_sum: sums.denominator?.sum ?? null,
    denominator_squares: sums.denominator?.sumSquares ?? null,
    denominator_product: sums.denominator?.sumProduct ?? null,
  };
}
