/**
 * @module adapters/sql/analysis-sql
 * The analysis pipeline as SQL, once: first exposures → per-unit metric values inside their
 * windows → caps → per-variant sufficient statistics. Everything that differs between engines
 * (time arithmetic, JSON access, percentiles, picking the first exposure's attributes) is an
 * {@link AnalysisSqlDialect}, so a new engine (ClickHouse, a warehouse) is a new dialect module
 * beside `sqlite/analysis-queries.ts` and `postgres/analysis-queries.ts`, not a new pipeline.
 *
 * Shape of every query (CTEs): `exposures` (counted exposures) → `grouped` (one row per unit:
 * first time, smallest and largest variant) → `units` (analysed units: one known variant, with
 * each metric's window bounds computed once per unit) → `tracked` (one pass over the tracked
 * events joined to units, every metric a conditional aggregate) → `unit_values` → `caps` →
 * `capped` → GROUP BY variant. Only the final aggregates leave the database.
 */

import type { EventAggregate, PropertyFilter } from '@cleave/core';
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type {
  AnalysedMetric,
  AnalysisQueries,
  AnalysisScope,
  AnalysisSums,
  DailySums,
  DimensionSums,
  ExposureCounts,
  MetricSums,
  VariantSums,
} from '../../ports/analysis-queries.js';
import {
  DIMENSION_VALUE_LIMIT,
  OTHER_DIMENSION_VALUE,
  UNSET_DIMENSION_VALUE,
} from '../../ports/analysis-queries.js';
import { daysOf, endOfDay, noSeries, seriesOf, seriesRange } from './analysis-series.js';
import type { Database } from './database.js';

type Fragment = RawBuilder<unknown>;

/** What one SQL engine spells differently. Every method returns a fragment with bound values. */
export interface AnalysisSqlDialect {
  /** An ISO-8601 time as a value comparable with `events.occurred_at`. */
  time(iso: string): Fragment;
  /** `time` moved by `seconds` (fractional, possibly negative), still comparable with `occurred_at`. */
  plusSeconds(time: Fragment, seconds: number): Fragment;
  /** The UTC day `YYYY-MM-DD` of a time. */
  day(time: Fragment): Fragment;
  /** Whether a tracked event's JSON `properties` pass one filter (false when they are null). */
  propertyMatches(properties: Fragment, filter: PropertyFilter): Fragment;
  /** A top-level attribute of a JSON object as text; null when absent or JSON null. */
  attributeText(properties: Fragment, name: string): Fragment;
  /** An aggregate, over the `exposures` CTE grouped by unit, giving the first exposure's properties. */
  firstProperties(): Fragment;
  /** A scalar subquery: the `fraction` percentile of `column` over the `unit_values` CTE (linear). */
  percentile(column: string, fraction: number): Fragment;
  /** A number as a floating-point value (sums of squares outgrow integers on some engines). */
  float(value: Fragment): Fragment;
  /**
   * Statements run before each analysis query, in its own transaction (`set local …`): planner
   * settings the engine needs for a few large aggregates rather than many small lookups.
   */
  readonly querySettings?: readonly string[];
}

/** SQL identifiers of metric `index`'s columns; generated here, never from input. */
export function columns(index: number) {
  return {
    value: `m${index}_x`,
    denominator: `m${index}_d`,
    covariate: `m${index}_c`,
    from: `m${index}_from`,
    to: `m${index}_to`,
    preFrom: `m${index}_pre`,
    cap: `m${index}_cap`,
  };
}

export const HOUR = 3600;

/**
 * The per-variant sums the statistics need of metric `index`'s unit values (over `unit_values`):
 * sum and sum of squares of the value, of the denominator and covariate where the metric has them
 * (with their products with the value), and the cap applied, when it is capped.
 */
export function momentSums(dialect: AnalysisSqlDialect, metric: AnalysedMetric, index: number): Fragment[] {
  const names = columns(index);
  const x = sql.raw(names.value);
  const sums = [
    sql`sum(${dialect.float(x)}) as ${sql.raw(`${names.value}_sum`)}`,
    sql`sum(${dialect.float(x)} * ${x}) as ${sql.raw(`${names.value}_squares`)}`,
  ];
  for (const other of [
    metric.denominator ? names.denominator : undefined,
    metric.covariateDays !== undefined ? names.covariate : undefined,
  ]) {
    if (!other) continue;
    const y = sql.raw(other);
    sums.push(
      sql`sum(${dialect.float(y)}) as ${sql.raw(`${other}_sum`)}`,
      sql`sum(${dialect.float(y)} * ${y}) as ${sql.raw(`${other}_squares`)}`,
      sql`sum(${dialect.float(y)} * ${x}) as ${sql.raw(`${other}_product`)}`,
    );
  }
  if (metric.capping) sums.push(sql`max(${sql.raw(names.cap)}) as ${sql.raw(names.cap)}`);
  return sums;
}

/** Whether tracked event `t` counts for one side of a metric (name and filters). */
export function eventMatches(dialect: AnalysisSqlDialect, aggregate: EventAggregate): Fragment {
  const filters = (aggregate.filters ?? []).map((filter) =>
    dialect.propertyMatches(sql.ref('t.properties'), filter),
  );
  return sql.join([sql`t.event_name = ${aggregate.event}`, ...filters], sql` and `);
}

/** What one matching event `t` adds to a unit's value: 1 for counts and proportions, else its value. */
export function contributionOf(metric: AnalysedMetric, aggregate: EventAggregate): Fragment {
  return metric.type !== 'proportion' && aggregate.aggregation === 'sum' ? sql`coalesce(t.value, 0)` : sql`1`;
}

/** The distinct event names a metric reads. */
export function eventNamesOf(metrics: readonly AnalysedMetric[]): string[] {
  return [
    ...new Set(
      metrics.flatMap((metric) =>
        metric.denominator ? [metric.numerator.event, metric.denominator.event] : [metric.numerator.event],
      ),
    ),
  ];
}

export interface Row {
  [column: string]: unknown;
}

type Query = RawBuilder<Row>;

export class SqlAnalysisQueries implements AnalysisQueries {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: AnalysisSqlDialect,
  ) {}

  private async run(query: Query): Promise<Row[]> {
    const settings = this.dialect.querySettings ?? [];
    if (settings.length === 0) return (await query.execute(this.db)).rows;
    return this.db.transaction().execute(async (transaction) => {
      for (const setting of settings) await sql.raw(setting).execute(transaction);
      return (await query.execute(transaction)).rows;
    });
  }

  async exposures(scope: AnalysisScope): Promise<ExposureCounts> {
    const query = sql<Row>`with ${this.groupedCtes(scope, false)}
      select variant, case when variant = last_variant then 0 else 1 end as multiple,
        count(*) as units, min(t0) as first_exposure
      from grouped group by variant, case when variant = last_variant then 0 else 1 end`;
    return exposureCountsOf(await this.run(query), scope.variations);
  }

  async analysis(scope: AnalysisScope, metrics: readonly AnalysedMetric[]): Promise<AnalysisSums> {
    return { exposures: await this.exposures(scope), sums: await this.metricSums(scope, metrics) };
  }

  async metricSums(scope: AnalysisScope, metrics: readonly AnalysedMetric[]): Promise<MetricSums[]> {
    if (metrics.length === 0) return [];
    return this.sumsOf(scope, metrics, this.aggregateQuery(scope, metrics));
  }

  private async sumsOf(
    scope: AnalysisScope,
    metrics: readonly AnalysedMetric[],
    query: Query,
  ): Promise<MetricSums[]> {
    const rows = await this.run(query);
    return metrics.map((metric, index) =>
      metricSumsOf(scope, metric, index, rows, capOf(rows, metric, index).cap),
    );
  }

  async dimensionSums(
    scope: AnalysisScope,
    metrics: readonly AnalysedMetric[],
    dimension: string,
  ): Promise<DimensionSums[]> {
    if (metrics.length === 0) return [];
    const rows = await this.run(this.aggregateQuery(scope, metrics, dimension));
    // Values in order of units (summed over variants), most first; "other" and "(not set)" last.
    const unitsByValue = new Map<string, number>();
    for (const row of rows) {
      const value = String(row.dimension);
      unitsByValue.set(value, (unitsByValue.get(value) ?? 0) + Number(row.n));
    }
    const grouped = new Set([OTHER_DIMENSION_VALUE, UNSET_DIMENSION_VALUE]);
    const values = [...unitsByValue.entries()]
      .sort(([a, unitsA], [b, unitsB]) => {
        const rank = Number(grouped.has(a)) - Number(grouped.has(b));
        return rank !== 0 ? rank : unitsB - unitsA || (a < b ? -1 : a > b ? 1 : 0);
      })
      .map(([value]) => value);
    return metrics.map((metric, index) => ({
      metric: metric.key,
      values: values.map((value) => ({
        value,
        variants: scope.variations.map((variation) =>
          variantSums(
            metric,
            index,
            variation,
            rows.find((row) => row.variant === variation && String(row.dimension) === value),
          ),
        ),
      })),
    }));
  }

  /**
   * The daily series ({@link seriesRange}): each day but the last is the analysis of the exposures
   * and events that occurred before its end, the last is `totals` (or the analysis now).
   */
  async dailySums(
    scope: AnalysisScope,
    metrics: readonly AnalysedMetric[],
    totals?: readonly MetricSums[],
  ): Promise<DailySums[]> {
    if (metrics.length === 0) return [];
    const range = await seriesRange(this.db, this.dialect, scope, metrics);
    if (!range) return noSeries(metrics);
    const days = daysOf(range);
    const earlier: VariantSums[][][] = metrics.map(() => []);
    for (const day of days.slice(0, -1)) {
      const asOf = { ...scope, endAt: endOfDay(day) };
      const sums = await this.sumsOf(asOf, metrics, this.aggregateQuery(asOf, metrics, undefined, true));
      for (const [index, metric] of sums.entries()) earlier[index]?.push(metric.variants);
    }
    return seriesOf(metrics, days, earlier, totals ?? (await this.metricSums(scope, metrics)));
  }

  // ---- query building ----

  /** `exposures` and `grouped`: every unit's first counted exposure and its variants. */
  private groupedCtes(scope: AnalysisScope, withProperties: boolean): Fragment {
    const { dialect } = this;
    const since = scope.startAt ? sql`and occurred_at >= ${dialect.time(scope.startAt)}` : sql``;
    return sql`exposures as (
        select unit_id, variant, occurred_at${withProperties ? sql`, properties` : sql``}
        from events
        where project_id = ${scope.projectId} and environment_id = ${scope.environmentId}
          and type = 'exposure' and experiment = ${scope.experimentKey}
          ${since} and occurred_at < ${dialect.time(scope.endAt)}
      ),
      grouped as (
        select unit_id, min(occurred_at) as t0, min(variant) as variant, max(variant) as last_variant
          ${withProperties ? sql`, ${dialect.firstProperties()} as first_properties` : sql``}
        from exposures group by unit_id
      )`;
  }

  /** `units`: analysed units with each metric's window bounds, computed once per unit. */
  private unitsCte(scope: AnalysisScope, metrics: readonly AnalysedMetric[], dimension?: string): Fragment {
    const { dialect } = this;
    const t0 = sql.ref('t0');
    const bounds = metrics.map((metric, index) => {
      const names = columns(index);
      const fromSeconds = metric.delayHours * HOUR;
      const to =
        metric.windowHours === undefined
          ? dialect.time(scope.endAt)
          : dialect.plusSeconds(t0, (metric.delayHours + metric.windowHours) * HOUR);
      const pre =
        metric.covariateDays === undefined
          ? sql``
          : sql`, ${dialect.plusSeconds(t0, -metric.covariateDays * 24 * HOUR)} as ${sql.raw(names.preFrom)}`;
      return sql`, ${dialect.plusSeconds(t0, fromSeconds)} as ${sql.raw(names.from)}, ${to} as ${sql.raw(names.to)}${pre}`;
    });
    const dimensionColumn = dimension
      ? sql`, ${dialect.attributeText(sql.ref('first_properties'), dimension)} as raw_dimension`
      : sql``;
    return sql`units as (
        select unit_id, variant, t0${dimensionColumn}${sql.join(bounds, sql``)}
        from grouped
        where variant = last_variant and variant in (${sql.join(scope.variations)})
      )`;
  }

  /** Whether tracked event `t` counts for one side of a metric (name and filters). */
  private matches(aggregate: EventAggregate): Fragment {
    return eventMatches(this.dialect, aggregate);
  }

  /** What one matching event adds to a unit's value: 1 for counts and proportions, else its value. */
  private contribution(metric: AnalysedMetric, aggregate: EventAggregate): Fragment {
    return contributionOf(metric, aggregate);
  }

  /** The per-unit (or per unit and day) conditional sums, one set of columns per metric. */
  private trackedColumns(metrics: readonly AnalysedMetric[], withCovariates: boolean): Fragment[] {
    return metrics.flatMap((metric, index) => {
      const names = columns(index);
      const inWindow = sql`t.occurred_at >= u.${sql.raw(names.from)} and t.occurred_at < u.${sql.raw(names.to)}`;
      const parts = [
        sql`sum(case when ${this.matches(metric.numerator)} and ${inWindow} then ${this.contribution(metric, metric.numerator)} else 0 end) as ${sql.raw(names.value)}`,
      ];
      if (metric.denominator) {
        parts.push(
          sql`sum(case when ${this.matches(metric.denominator)} and ${inWindow} then ${this.contribution(metric, metric.denominator)} else 0 end) as ${sql.raw(names.denominator)}`,
        );
      }
      if (withCovariates && metric.covariateDays !== undefined) {
        const inPre = sql`t.occurred_at >= u.${sql.raw(names.preFrom)} and t.occurred_at < u.t0`;
        parts.push(
          sql`sum(case when ${this.matches(metric.numerator)} and ${inPre} then ${this.contribution(metric, metric.numerator)} else 0 end) as ${sql.raw(names.covariate)}`,
        );
      }
      return parts;
    });
  }

  /** Tracked events joined to units: the one scan over the events table. */
  private trackedFrom(
    scope: AnalysisScope,
    metrics: readonly AnalysedMetric[],
    withCovariates: boolean,
  ): Fragment {
    const names = [
      ...new Set(
        metrics.flatMap((metric) =>
          metric.denominator ? [metric.numerator.event, metric.denominator.event] : [metric.numerator.event],
        ),
      ),
    ];
    const lookBack = withCovariates
      ? Math.max(0, ...metrics.map((metric) => (metric.covariateDays ?? 0) * 24 * HOUR))
      : 0;
    // A lower bound on event time lets PostgreSQL skip whole partitions.
    const earliest = this.dialect.plusSeconds(sql`(select min(t0) from units)`, -lookBack);
    return sql`from units u join events t on t.unit_id = u.unit_id
      where t.project_id = ${scope.projectId} and t.environment_id = ${scope.environmentId}
        and t.type = 'track' and t.event_name in (${sql.join(names)}) and t.occurred_at >= ${earliest}`;
  }

  /** A unit's value from its per-unit sums: proportions are 0/1. */
  private unitValue(metric: AnalysedMetric, column: string, source: string): Fragment {
    const sum = sql`coalesce(${sql.ref(`${source}.${column}`)}, 0)`;
    return metric.type === 'proportion' ? sql`case when ${sum} > 0 then 1 else 0 end` : sum;
  }

  private capsCte(metrics: readonly AnalysedMetric[]): Fragment {
    const caps = metrics.flatMap((metric, index) => {
      const names = columns(index);
      if (!metric.capping) return [];
      const cap =
        metric.capping.type === 'absolute'
          ? this.dialect.float(sql`${metric.capping.value}`)
          : this.dialect.percentile(names.value, metric.capping.value);
      return [sql`${cap} as ${sql.raw(names.cap)}`];
    });
    // Materialized: each cap is referenced several times per row, and an inlined percentile
    // subquery would sort every unit's value once per reference.
    return sql`caps as materialized (select ${caps.length > 0 ? sql.join(caps) : sql`1 as no_cap`})`;
  }

  private capped(value: Fragment, metric: AnalysedMetric, index: number): Fragment {
    if (!metric.capping) return value;
    const cap = sql.ref(`caps.${columns(index).cap}`);
    return sql`case when ${cap} is null or ${value} <= ${cap} then ${value} else ${cap} end`;
  }

  /**
   * The per-variant sums; with `asOfEnd`, as they were at `endAt`: events after it are left out
   * even inside a metric's window (the daily series' earlier days).
   */
  private aggregateQuery(
    scope: AnalysisScope,
    metrics: readonly AnalysedMetric[],
    dimension?: string,
    asOfEnd = false,
  ) {
    const { dialect } = this;
    const valueColumns = metrics.flatMap((metric, index) => {
      const names = columns(index);
      return [
        sql`${this.unitValue(metric, names.value, 'k')} as ${sql.raw(names.value)}`,
        ...(metric.denominator
          ? [sql`${this.unitValue(metric, names.denominator, 'k')} as ${sql.raw(names.denominator)}`]
          : []),
        ...(metric.covariateDays !== undefined
          ? [sql`${this.unitValue(metric, names.covariate, 'k')} as ${sql.raw(names.covariate)}`]
          : []),
      ];
    });
    const cappedColumns = metrics.flatMap((metric, index) => {
      const names = columns(index);
      return [
        sql`${this.capped(sql.ref(`v.${names.value}`), metric, index)} as ${sql.raw(names.value)}`,
        ...(metric.denominator
          ? [sql`${sql.ref(`v.${names.denominator}`)} as ${sql.raw(names.denominator)}`]
          : []),
        ...(metric.covariateDays !== undefined
          ? [
              sql`${this.capped(sql.ref(`v.${names.covariate}`), metric, index)} as ${sql.raw(names.covariate)}`,
            ]
          : []),
        ...(metric.capping ? [sql`${sql.ref(`caps.${names.cap}`)} as ${sql.raw(names.cap)}`] : []),
      ];
    });
    const sums = metrics.flatMap((metric, index) => momentSums(dialect, metric, index));
    const withCovariates = metrics.some((metric) => metric.covariateDays !== undefined);
    const dimensionCtes = dimension
      ? sql`, top_values as (
          select raw_dimension from units where raw_dimension is not null
          group by raw_dimension order by count(*) desc, raw_dimension limit ${DIMENSION_VALUE_LIMIT}
        )`
      : sql``;
    const dimensionValue = dimension
      ? sql`, case when u.raw_dimension is null then ${UNSET_DIMENSION_VALUE}
          when u.raw_dimension in (select raw_dimension from top_values) then u.raw_dimension
          else ${OTHER_DIMENSION_VALUE} end as dimension`
      : sql``;
    const group = dimension ? sql`variant, dimension` : sql`variant`;
    return sql<Row>`with ${this.groupedCtes(scope, dimension !== undefined)},
      ${this.unitsCte(scope, metrics, dimension)}${dimensionCtes},
      tracked as (
        select u.unit_id, ${sql.join(this.trackedColumns(metrics, withCovariates))}
        ${this.trackedFrom(scope, metrics, withCovariates)}
        ${asOfEnd ? sql`and t.occurred_at < ${dialect.time(scope.endAt)}` : sql``}
        group by u.unit_id
      ),
      unit_values as (
        select u.variant${dimensionValue}, ${sql.join(valueColumns)}
        from units u left join tracked k on k.unit_id = u.unit_id
      ),
      ${this.capsCte(metrics)},
      capped as (
        select v.variant${dimension ? sql`, v.dimension` : sql``}, ${sql.join(cappedColumns)}
        from unit_values v cross join caps
      )
      select ${group}, count(*) as n, ${sql.join(sums)}
      from capped group by ${group}`;
  }
}

export function toIso(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  return value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString();
}

export function capOf(rows: Row[], metric: AnalysedMetric, index: number): { cap?: number } {
  if (!metric.capping) return {};
  if (metric.capping.type === 'absolute') return { cap: metric.capping.value };
  const found = rows
    .map((row) => row[columns(index).cap])
    .find((value) => value !== null && value !== undefined);
  return found === undefined ? {} : { cap: Number(found) };
}

function number(value: unknown): number {
  return value === null || value === undefined ? 0 : Number(value);
}

/** A metric's sums from aggregate rows (one per variant) of its columns at `index`, in variation order. */
export function metricSumsOf(
  scope: AnalysisScope,
  metric: AnalysedMetric,
  index: number,
  rows: readonly Row[],
  cap: number | undefined,
): MetricSums {
  return {
    metric: metric.key,
    ...(cap !== undefined && { cap }),
    variants: scope.variations.map((variation) =>
      variantSums(
        metric,
        index,
        variation,
        rows.find((row) => row.variant === variation),
      ),
    ),
  };
}

export function variantSums(
  metric: AnalysedMetric,
  index: number,
  variant: string,
  row: Row | undefined,
): VariantSums {
  const names = columns(index);
  const read = (column: string) => number(row?.[column]);
  return {
    variant,
    n: number(row?.n),
    sum: read(`${names.value}_sum`),
    sumSquares: read(`${names.value}_squares`),
    ...(metric.covariateDays !== undefined && {
      covariate: {
        sum: read(`${names.covariate}_sum`),
        sumSquares: read(`${names.covariate}_squares`),
        sumProduct: read(`${names.covariate}_product`),
      },
    }),
    ...(metric.denominator && {
      denominator: {
        sum: read(`${names.denominator}_sum`),
        sumSquares: read(`${names.denominator}_squares`),
        sumProduct: read(`${names.denominator}_product`),
      },
    }),
  };
}

/**
 * Exposure health from rows of (variant, multiple, units, first_exposure): units per known
 * variant, units seen in several variants, units of variants the experiment does not have.
 */
export function exposureCountsOf(rows: readonly Row[], variations: readonly string[]): ExposureCounts {
  const units = Object.fromEntries(variations.map((variation) => [variation, 0]));
  let multipleVariantUnits = 0;
  let unknownVariantUnits = 0;
  let firstExposureAt: string | undefined;
  for (const row of rows) {
    const count = Number(row.units);
    const variant = String(row.variant);
    if (Number(row.multiple) === 1) multipleVariantUnits += count;
    else if (variant in units) units[variant] = (units[variant] ?? 0) + count;
    else unknownVariantUnits += count;
    const first = toIso(row.first_exposure);
    if (first && (!firstExposureAt || first < firstExposureAt)) firstExposureAt = first;
  }
  return {
    units,
    multipleVariantUnits,
    unknownVariantUnits,
    ...(firstExposureAt && { firstExposureAt }),
  };
}
