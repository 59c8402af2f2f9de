/**
 * @module Metric definitions: what an experiment measures, computed from tracked events.
 *
 * - `proportion`: the share of units that did `event` (at least once) inside the conversion window.
 * - `mean`: per unit, the count of `event` or the sum of its values inside the window; averaged
 *   over units (units that never did it count as 0).
 * - `ratio`: Σ numerator / Σ denominator across units (e.g. revenue per session), analysed with the
 *   delta method because numerator and denominator vary together per unit.
 */
import { z } from 'zod';
import { KeySchema } from './key.js';
import { type ValidationResult, validateWith } from './validation-result.js';

/** Tracked event names come from applications: anything printable, bounded. */
export const EventNameSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[^\s\p{Cc}][^\p{Cc}]*$/u, 'must be printable and not start with a space');

export const PropertyFilterSchema = z.object({
  property: z.string().min(1).max(200),
  operator: z.enum(['eq', 'neq', 'in', 'not_in', 'gt', 'gte', 'lt', 'lte', 'exists', 'not_exists']),
  value: z
    .union([
      z.string().max(1000),
      z.number(),
      z.boolean(),
      z.array(z.union([z.string().max(1000), z.number()])).max(1000),
    ])
    .optional(),
});

export type PropertyFilter = z.infer<typeof PropertyFilterSchema>;

/** One side of a metric: an event, how it aggregates per unit, and which of its events count. */
export const EventAggregateSchema = z.object({
  event: EventNameSchema,
  /** `count` of events, or `sum` of their values; proportions ignore it. */
  aggregation: z.enum(['count', 'sum']).default('count'),
  filters: z.array(PropertyFilterSchema).max(20).optional(),
});

export type EventAggregate = z.infer<typeof EventAggregateSchema>;

/** Hours after a unit's first exposure during which its events count. */
export const ConversionWindowSchema = z.object({
  /** Events earlier than this many hours after exposure are ignored (e.g. skip the first session). */
  delayHours: z
    .number()
    .min(0)
    .max(24 * 365)
    .default(0),
  /** Length of the window; absent means until the analysis ends. */
  windowHours: z
    .number()
    .positive()
    .max(24 * 365)
    .optional(),
});

/**
 * Caps each unit's value so a few extreme units cannot dominate a mean: an absolute cap, or
 * winsorization at a percentile of the per-unit values (e.g. 0.99).
 */
export const CappingSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('absolute'), value: z.number().positive() }),
  z.object({ type: z.literal('percentile'), value: z.number().gt(0.5).lt(1) }),
]);

export const MetricSchema = z
  .object({
    key: KeySchema,
    name: z.string().max(200).optional(),
    description: z.string().max(2000).optional(),
    type: z.enum(['proportion', 'mean', 'ratio']),
    /** The event (proportion, mean) or the numerator (ratio). */
    numerator: EventAggregateSchema,
    /** Only for ratios. */
    denominator: EventAggregateSchema.optional(),
    conversionWindow: ConversionWindowSchema.optional(),
    capping: CappingSchema.optional(),
    /** Which way is better: drives "chance to win" and whether a change is a regression. */
    direction: z.enum(['increase', 'decrease']).default('increase'),
  })
  .superRefine((metric, context) => {
    if (metric.type === 'ratio' && !metric.denominator) {
      context.addIssue({ code: 'custom', path: ['denominator'], message: 'is required for ratio metrics' });
    }
    if (metric.type !== 'ratio' && metric.denominator) {
      context.addIssue({
        code: 'custom',
        path: ['denominator'],
        message: `is only for ratio metrics, not ${metric.type}`,
      });
    }
    if (metric.type === 'proportion' && metric.capping) {
      context.addIssue({
        code: 'custom',
        path: ['capping'],
        message: 'does not apply to proportions (values are 0 or 1)',
      });
    }
  });

export type Metric = z.infer<typeof MetricSchema>;

/** Validates a metric definition, with the path of every bad field. */
export function validateMetric(input: unknown): ValidationResult<Metric> {
  return validateWith(MetricSchema, input);
}
