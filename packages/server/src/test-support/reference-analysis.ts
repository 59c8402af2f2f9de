/**
 * @module test-support/reference-analysis
 * The analysis computed the obvious way, in memory, from raw events: what the SQL of every dialect
 * must agree with. Written from the rules in docs/analysis.md, sharing no code with the SQL
 * builder, so a mistake in one is not repeated in the other.
 */
import type { EventAggregate, PropertyFilter } from '@cleave/core';
import type {
  AnalysedMetric,
  AnalysisScope,
  DailySums,
  DimensionSums,
  ExposureCounts,
  MetricSums,
  VariantSums,
} from '../ports/analysis-queries.js';
import type { StoredEvent } from '../ports/stored-event.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

interface Unit {
  id: string;
  variant: string;
  t0: number;
  attributes: Record<string, unknown> | null;
}

function inScope(event: StoredEvent, scope: AnalysisScope): boolean {
  return event.projectId === scope.projectId && event.environmentId === scope.environmentId;
}

/** Every unit's counted exposures → its first exposure, and whether it saw one known variant. */
function unitsOf(events: readonly StoredEvent[], scope: AnalysisScope) {
  const start = scope.startAt ? Date.parse(scope.startAt) : Number.NEGATIVE_INFINITY;
  const end = Date.parse(scope.endAt);
  const seen = new Map<string, { variants: Set<string>; first: StoredEvent }>();
  for (const event of events) {
    if (!inScope(event, scope) || event.type !== 'exposure' || event.experiment !== scope.experimentKey)
      continue;
    const time = Date.parse(event.occurredAt);
    if (time < start || time >= end) continue;
    const entry = seen.get(event.unitId);
    if (!entry) {
      seen.set(event.unitId, { variants: new Set([event.variant ?? '']), first: event });
      continue;
    }
    entry.variants.add(event.variant ?? '');
    if (time < Date.parse(entry.first.occurredAt)) entry.first = event;
  }
  const units: Unit[] = [];
  let multiple = 0;
  let unknown = 0;
  for (const [id, { variants, first }] of seen) {
    if (variants.size > 1) multiple += 1;
    else if (!scope.variations.includes(first.variant ?? '')) unknown += 1;
    else
      units.push({
        id,
        variant: first.variant ?? '',
        t0: Date.parse(first.occurredAt),
        attributes: first.properties ? (JSON.parse(first.properties) as Record<string, unknown>) : null,
      });
  }
  return {
    units,
    multiple,
    unknown,
    firstExposures: [...seen.values()].map(({ first }) => first.occurredAt),
  };
}

export function referenceExposures(events: readonly StoredEvent[], scope: AnalysisScope): ExposureCounts {
  const { units, multiple, unknown, firstExposures } = unitsOf(events, scope);
  const counts = Object.fromEntries(scope.variations.map((variation) => [variation, 0]));
  for (const unit of units) counts[unit.variant] = (counts[unit.variant] ?? 0) + 1;
  const first = firstExposures.sort()[0];
  return {
    units: counts,
    multipleVariantUnits: multiple,
    unknownVariantUnits: unknown,
    ...(first && { firstExposureAt: first }),
  };
}

function scalarEquals(actual: unknown, expected: string | number | boolean): boolean {
  return typeof actual === typeof expected && actual === expected;
}

function passes(properties: Record<string, unknown> | null, filter: PropertyFilter): boolean {
  const has = properties !== null && Object.hasOwn(properties, filter.property);
  const actual = has ? properties?.[filter.property] : undefined;
  const equals = () => {
    if (filter.value === undefined || !has) return false;
    const candidates = Array.isArray(filter.value) ? filter.value : [filter.value];
    return candidates.some((candidate) => scalarEquals(actual, candidate));
  };
  switch (filter.operator) {
    case 'exists':
      return has;
    case 'not_exists':
      return !has;
    case 'eq':
    case 'in':
      return equals();
    case 'neq':
    case 'not_in':
      return !equals();
    default: {
      const expected = filter.value;
      if ((typeof expected !== 'number' && typeof expected !== 'string') || typeof actual !== typeof expected)
        return false;
      const left = actual as number | string;
      if (filter.operator === 'gt') return left > expected;
      if (filter.operator === 'gte') return left >= expected;
      if (filter.operator === 'lt') return left < expected;
      return left <= expected;
    }
  }
}

function matches(event: StoredEvent, aggregate: EventAggregate): boolean {
  if (event.eventName !== aggregate.event) return false;
  const properties = event.properties ? (JSON.parse(event.properties) as Record<string, unknown>) : null;
  return (aggregate.filters ?? []).every((filter) => passes(properties, filter));
}

function contribution(event: StoredEvent, metric: AnalysedMetric, aggregate: EventAggregate): number {
  return metric.type !== 'proportion' && aggregate.aggregation === 'sum' ? (event.value ?? 0) : 1;
}

/** Tracked events of a unit, by unit id, once. */
function trackedByUnit(events: readonly StoredEvent[], scope: AnalysisScope): Map<string, StoredEvent[]> {
  const byUnit = new Map<string, StoredEvent[]>();
  for (const event of events) {
    if (!inScope(event, scope) || event.type !== 'track') continue;
    const list = byUnit.get(event.unitId) ?? [];
    list.push(event);
    byUnit.set(event.unitId, list);
  }
  return byUnit;
}

interface UnitValue {
  unit: Unit;
  x: number;
  denominator: number;
  covariate: number;
}

/** A unit's raw (uncapped) values, counting only events up to `until` (ms) when given. */
function unitValue(
  unit: Unit,
  tracked: readonly StoredEvent[],
  metric: AnalysedMetric,
  scope: AnalysisScope,
  until = Number.POSITIVE_INFINITY,
): UnitValue {
  const from = unit.t0 + metric.delayHours * HOUR_MS;
  const to = metric.windowHours === undefined ? Date.parse(scope.endAt) : from + metric.windowHours * HOUR_MS;
  const preFrom = unit.t0 - (metric.covariateDays ?? 0) * 24 * HOUR_MS;
  let x = 0;
  let denominator = 0;
  let covariate = 0;
  for (const event of tracked) {
    const time = Date.parse(event.occurredAt);
    if (time > until) continue;
    const inWindow = time >= from && time < to;
    if (inWindow && matches(event, metric.numerator)) x += contribution(event, metric, metric.numerator);
    if (inWindow && metric.denominator && matches(event, metric.denominator))
      denominator += contribution(event, metric, metric.denominator);
    if (
      metric.covariateDays !== undefined &&
      time >= preFrom &&
      time < unit.t0 &&
      matches(event, metric.numerator)
    )
      covariate += contribution(event, metric, metric.numerator);
  }
  if (metric.type === 'proportion') {
    x = x > 0 ? 1 : 0;
    covariate = covariate > 0 ? 1 : 0;
  }
  return { unit, x, denominator, covariate };
}

/** Linear interpolation between order statistics (numpy's default, PostgreSQL's percentile_cont). */
export function percentile(values: readonly number[], fraction: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * fraction;
  const lower = Math.floor(position);
  const low = sorted[lower] as number;
  const high = sorted[Math.min(lower + 1, sorted.length - 1)] as number;
  return low + (position - lower) * (high - low);
}

function capFor(metric: AnalysedMetric, values: readonly UnitValue[]): number | undefined {
  if (!metric.capping) return undefined;
  if (metric.capping.type === 'absolute') return metric.capping.value;
  return percentile(
    values.map((value) => value.x),
    metric.capping.value,
  );
}

function sumsOf(
  metric: AnalysedMetric,
  variant: string,
  values: readonly UnitValue[],
  cap: number | undefined,
) {
  const limit = (value: number) => (cap === undefined ? value : Math.min(value, cap));
  const sums: VariantSums = { variant, n: 0, sum: 0, sumSquares: 0 };
  if (metric.covariateDays !== undefined) sums.covariate = { sum: 0, sumSquares: 0, sumProduct: 0 };
  if (metric.denominator) sums.denominator = { sum: 0, sumSquares: 0, sumProduct: 0 };
  for (const value of values) {
    if (value.unit.variant !== variant) continue;
    const x = limit(value.x);
    sums.n += 1;
    sums.sum += x;
    sums.sumSquares += x * x;
    if (sums.covariate) {
      const y = limit(value.covariate);
      sums.covariate.sum += y;
      sums.covariate.sumSquares += y * y;
      sums.covariate.sumProduct += y * x;
    }
    if (sums.denominator) {
      sums.denominator.sum += value.denominator;
      sums.denominator.sumSquares += value.denominator ** 2;
      sums.denominator.sumProduct += value.denominator * x;
    }
  }
  return sums;
}

export function referenceMetricSums(
  events: readonly StoredEvent[],
  scope: AnalysisScope,
  metrics: readonly AnalysedMetric[],
): MetricSums[] {
  const { units } = unitsOf(events, scope);
  const tracked = trackedByUnit(events, scope);
  return metrics.map((metric) => {
    const values = units.map((unit) => unitValue(unit, tracked.get(unit.id) ?? [], metric, scope));
    const cap = capFor(metric, values);
    return {
      metric: metric.key,
      ...(cap !== undefined && { cap }),
      variants: scope.variations.map((variation) => sumsOf(metric, variation, values, cap)),
    };
  });
}

function attributeText(attributes: Record<string, unknown> | null, name: string): string | undefined {
  if (!attributes || !Object.hasOwn(attributes, name)) return undefined;
  const value = attributes[name];
  if (value === null || value === undefined) return undefined;
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

export function referenceDimensionSums(
  events: readonly StoredEvent[],
  scope: AnalysisScope,
  metrics: readonly AnalysedMetric[],
  dimension: string,
): DimensionSums[] {
  const { units } = unitsOf(events, scope);
  const tracked = trackedByUnit(events, scope);
  const counts = new Map<string, number>();
  for (const unit of units) {
    const value = attributeText(unit.attributes, dimension);
    if (value !== undefined) counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  const top = new Set(
    [...counts.entries()]
      .sort(([a, countA], [b, countB]) => countB - countA || (a < b ? -1 : 1))
      .slice(0, 20)
      .map(([value]) => value),
  );
  const groupOf = (unit: Unit) => {
    const value = attributeText(unit.attributes, dimension);
    if (value === undefined) return '(not set)';
    return top.has(value) ? value : 'other';
  };
  return metrics.map((metric) => {
    const values = units.map((unit) => unitValue(unit, tracked.get(unit.id) ?? [], metric, scope));
    const cap = capFor(metric, values);
    const groups = [...new Set(units.map(groupOf))];
    return {
      metric: metric.key,
      values: groups.map((value) => ({
        value,
        variants: scope.variations.map((variation) =>
          sumsOf(
            metric,
            variation,
            values.filter((entry) => groupOf(entry.unit) === value),
            cap,
          ),
        ),
      })),
    };
  });
}

export function referenceDailySums(
  events: readonly StoredEvent[],
  scope: AnalysisScope,
  metrics: readonly AnalysedMetric[],
): DailySums[] {
  const start = scope.startAt ? Date.parse(scope.startAt) : Number.NEGATIVE_INFINITY;
  const end = Date.parse(scope.endAt);
  const names = new Set(
    metrics.flatMap((metric) => [
      metric.numerator.event,
      ...(metric.denominator ? [metric.denominator.event] : []),
    ]),
  );
  // From the first counted exposure's day to the last day with a counted exposure or an event of
  // a name the metrics read, before the end.
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const event of events) {
    if (!inScope(event, scope)) continue;
    const time = Date.parse(event.occurredAt);
    if (time >= end) continue;
    if (event.type === 'exposure' && event.experiment === scope.experimentKey && time >= start) {
      first = Math.min(first, time);
      last = Math.max(last, time);
    } else if (event.type === 'track' && names.has(event.eventName ?? '')) last = Math.max(last, time);
  }
  if (first === Number.POSITIVE_INFINITY) return metrics.map((metric) => ({ metric: metric.key, days: [] }));
  const series = metrics.map((metric) => ({ metric: metric.key, days: [] as DailySums['days'] }));
  const lastDay = Math.floor(last / DAY_MS);
  for (let day = Math.floor(first / DAY_MS); day <= lastDay; day++) {
    // Each earlier day: the analysis as it was at the day's end, from what had occurred by then.
    const dayEnd = (day + 1) * DAY_MS;
    const sums =
      day === lastDay
        ? referenceMetricSums(events, scope, metrics)
        : referenceMetricSums(
            events.filter((event) => Date.parse(event.occurredAt) < dayEnd),
            { ...scope, endAt: new Date(dayEnd).toISOString() },
            metrics,
          );
    for (const [index, metric] of sums.entries())
      series[index]?.days.push({
        date: new Date(day * DAY_MS).toISOString().slice(0, 10),
        variants: metric.variants,
      });
  }
  return series;
}
