/**
 * @module metrics/metric-draft
 * A metric as its form holds it (strings and numbers from inputs) and the API body it becomes:
 * the denominator only for ratios, filter values typed by operator, a window and a cap only when
 * set. Also the way back, so a saved metric opens as it was entered.
 */
import type { Metric, MetricBody, MetricPatch } from './queries.js';

export type MetricType = MetricBody['type'];
type Aggregate = MetricBody['numerator'];
type Filter = NonNullable<Aggregate['filters']>[number];
export type FilterOperator = Filter['operator'];

export const FILTER_OPERATORS: readonly FilterOperator[] = [
  'eq',
  'neq',
  'in',
  'not_in',
  'gt',
  'gte',
  'lt',
  'lte',
  'exists',
  'not_exists',
];

export interface FilterDraft {
  property: string;
  operator: FilterOperator;
  /** Comma-separated for `in`/`not_in`. */
  value: string;
}

export interface AggregateDraft {
  event: string;
  aggregation: 'count' | 'sum';
  filters: FilterDraft[];
}

export interface MetricDraft {
  type: MetricType;
  numerator: AggregateDraft;
  denominator: AggregateDraft;
  direction: 'increase' | 'decrease';
  delayHours: number;
  /** Empty: until the analysis ends. */
  windowHours: number | '';
  capping: 'none' | 'absolute' | 'percentile';
  /** The cap itself, or the percentile as a percentage (99 for 0.99). */
  capValue: number | '';
}

export function emptyAggregate(): AggregateDraft {
  return { event: '', aggregation: 'count', filters: [] };
}

export function emptyMetricDraft(): MetricDraft {
  return {
    type: 'proportion',
    numerator: emptyAggregate(),
    denominator: emptyAggregate(),
    direction: 'increase',
    delayHours: 0,
    windowHours: '',
    capping: 'none',
    capValue: '',
  };
}

function scalar(text: string): string | number | boolean {
  const trimmed = text.trim();
  if (trimmed === 'true' || trimmed === 'false') return trimmed === 'true';
  if (trimmed !== '' && Number.isFinite(Number(trimmed))) return Number(trimmed);
  return trimmed;
}

export function filterBody(draft: FilterDraft): Filter {
  const property = draft.property.trim();
  switch (draft.operator) {
    case 'exists':
    case 'not_exists':
      return { property, operator: draft.operator };
    case 'in':
    case 'not_in':
      return {
        property,
        operator: draft.operator,
        value: draft.value
          .split(',')
          .map((item) => item.trim())
          .filter(Boolean)
          .map((item) => {
            const value = scalar(item);
            return typeof value === 'boolean' ? item : value;
          }),
      };
    default:
      return { property, operator: draft.operator, value: scalar(draft.value) };
  }
}

function aggregateBody(draft: AggregateDraft): Aggregate {
  return {
    event: draft.event.trim(),
    aggregation: draft.aggregation,
    ...(draft.filters.length > 0 && { filters: draft.filters.map(filterBody) }),
  };
}

/**
 * The type-specific part of the body (the form adds key, name, description and tags). A change
 * merges over the saved metric field by field, so when one had a window, `{ delayHours: 0 }` (the
 * same as none) is sent to replace it rather than leaving it out, which would keep it.
 */
export function metricBody(draft: MetricDraft): Omit<MetricBody, 'key' | 'name' | 'description' | 'tags'> {
  const windowed = draft.delayHours > 0 || draft.windowHours !== '';
  return {
    type: draft.type,
    // A proportion counts units that did the event at all: the aggregation means nothing there.
    numerator: aggregateBody(
      draft.type === 'proportion' ? { ...draft.numerator, aggregation: 'count' } : draft.numerator,
    ),
    ...(draft.type === 'ratio' && { denominator: aggregateBody(draft.denominator) }),
    direction: draft.direction,
    ...(windowed && {
      conversionWindow: {
        delayHours: draft.delayHours,
        ...(draft.windowHours !== '' && { windowHours: draft.windowHours }),
      },
    }),
    ...(draft.capping === 'absolute' &&
      draft.capValue !== '' && { capping: { type: 'absolute', value: draft.capValue } }),
    ...(draft.capping === 'percentile' &&
      draft.capValue !== '' && {
        capping: { type: 'percentile', value: Math.round(draft.capValue * 100) / 10_000 },
      }),
  };
}

function filterDraft(filter: Filter): FilterDraft {
  const value =
    filter.value === undefined
      ? ''
      : Array.isArray(filter.value)
        ? filter.value.join(', ')
        : String(filter.value);
  return { property: filter.property, operator: filter.operator, value };
}

function aggregateDraft(aggregate: Metric['numerator'] | undefined): AggregateDraft {
  if (!aggregate) return emptyAggregate();
  return {
    event: aggregate.event,
    aggregation: aggregate.aggregation,
    filters: (aggregate.filters ?? []).map(filterDraft),
  };
}

export function metricDraftOf(metric: Metric): MetricDraft {
  return {
    type: metric.type,
    numerator: aggregateDraft(metric.numerator),
    denominator: aggregateDraft(metric.denominator),
    direction: metric.direction ?? 'increase',
    delayHours: metric.conversionWindow?.delayHours ?? 0,
    windowHours: metric.conversionWindow?.windowHours ?? '',
    capping: metric.capping?.type ?? 'none',
    capValue:
      metric.capping === undefined
        ? ''
        : metric.capping.type === 'percentile'
          ? Math.round(metric.capping.value * 10_000) / 100
          : metric.capping.value,
  };
}

/** What the metric measures, in a phrase for the library list. */
export function describeMetric(metric: Pick<Metric, 'type' | 'numerator' | 'denominator'>): string {
  const side = (aggregate: Metric['numerator']) =>
    `${aggregate.aggregation === 'sum' ? 'sum of' : 'count of'} ${aggregate.event}${
      aggregate.filters?.length
        ? ` (${aggregate.filters.length} filter${aggregate.filters.length > 1 ? 's' : ''})`
        : ''
    }`;
  switch (metric.type) {
    case 'proportion':
      return `share of units with ${metric.numerator.event}${
        metric.numerator.filters?.length
          ? ` (${metric.numerator.filters.length} filter${metric.numerator.filters.length > 1 ? 's' : ''})`
          : ''
      }`;
    case 'mean':
      return `mean ${side(metric.numerator)} per unit`;
    case 'ratio':
      return `${side(metric.numerator)} / ${metric.denominator ? side(metric.denominator) : '?'}`;
  }
}

/** Fields of a metric the form can take away; PATCH keeps what is left out, so they are sent as null. */
const REMOVABLE = ['denominator', 'conversionWindow', 'capping'] as const;

/** The change of a saved metric to what the form holds: `metricBody`, with what the form cleared removed. */
export function metricChange(draft: MetricDraft): Omit<MetricPatch, 'key' | 'name' | 'description' | 'tags'> {
  const body: Omit<MetricPatch, 'key' | 'name' | 'description' | 'tags'> = metricBody(draft);
  for (const field of REMOVABLE) if (body[field] === undefined) body[field] = null;
  return body;
}
