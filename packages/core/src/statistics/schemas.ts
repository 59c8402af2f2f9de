/**
 * @module Request schemas of the statistics engine, shared by the library functions and the
 * server's `/api/v1/stats/*` routes (`analyze`, `srm`, `adjust`, `sample-size`).
 *
 * Objects are strict: an unknown field is an error rather than silently ignored, because a
 * misspelt `cupd: true` would otherwise analyse without CUPED and look like a valid result.
 * What a schema cannot express (consistent sums, weights summing to 1, a non-zero control mean)
 * is checked by the compute functions, which throw `StatisticsInputError`.
 */
import { z } from 'zod';

/** Most arms one analysis takes: bounds the work a single request can ask for. */
export const MAX_VARIANTS = 100;

const finite = z.number();

/** Σ of a second per-unit quantity and of its products: the CUPED covariate or a ratio's denominator. */
export const PairedSumsSchema = z.strictObject({
  /** Σ of the second quantity (covariate x, or denominator d). */
  sum: finite,
  /** Σ of its squares. */
  sumSquares: finite,
  /** Σ of its products with the metric's per-unit value (Σx·y, or Σnumerator·d). */
  sumProduct: finite,
});

export type PairedSums = z.infer<typeof PairedSumsSchema>;

/** Sufficient statistics of one arm. For proportions `sum` (and `sumSquares`, if given) count conversions. */
export const VariantStatisticsSchema = z.strictObject({
  n: z.number().int().min(2, 'must be at least 2 units: a variance needs two'),
  sum: finite,
  sumSquares: finite.optional(),
  covariate: PairedSumsSchema.optional(),
  denominator: PairedSumsSchema.optional(),
});

export type VariantStatistics = z.infer<typeof VariantStatisticsSchema>;

export const METRIC_KINDS = ['mean', 'proportion', 'ratio'] as const;
export type MetricKind = (typeof METRIC_KINDS)[number];
export const METHODS = ['frequentist', 'bayesian', 'sequential'] as const;
export type Method = (typeof METHODS)[number];
export const EFFECTS = ['absolute', 'relative'] as const;
export type Effect = (typeof EFFECTS)[number];
export const DIRECTIONS = ['increase', 'decrease'] as const;
export type Direction = (typeof DIRECTIONS)[number];

const AlphaSchema = z.number().gt(0).lt(1);

/** Body of `analyze`: one metric, every arm's sufficient statistics, `variants[0]` the control. */
export const AnalyzeRequestSchema = z.strictObject({
  metric: z.enum(METRIC_KINDS),
  method: z.enum(METHODS).default('frequentist'),
  effect: z.enum(EFFECTS).default('relative'),
  /** Two-sided significance level; intervals have coverage 1 − alpha. */
  alpha: AlphaSchema.default(0.05),
  /** Variance reduction with each unit's pre-experiment covariate (needs `covariate` on every arm). */
  cuped: z.boolean().default(false),
  /** Sequential only: the total sample size N* at which the confidence sequence is tightest. */
  sequentialTuning: z.number().positive().default(5000),
  /** Which way is better for this metric. */
  direction: z.enum(DIRECTIONS).default('increase'),
  variants: z
    .array(VariantStatisticsSchema)
    .min(2, 'needs a control and at least one treatment')
    .max(MAX_VARIANTS),
});

/** A validated `analyze` request, defaults applied. */
export type AnalyzeRequest = z.output<typeof AnalyzeRequestSchema>;
/** What callers may send: the fields with defaults are optional. */
export type AnalyzeInput = z.input<typeof AnalyzeRequestSchema>;

/** Body of `srm`: observed units per arm and the arms' planned traffic weights (summing to 1). */
export const SrmRequestSchema = z.strictObject({
  counts: z.array(z.number().int().min(0)).min(2).max(MAX_VARIANTS),
  weights: z.array(z.number().positive()).min(2).max(MAX_VARIANTS),
});

export type SrmRequest = z.output<typeof SrmRequestSchema>;

export const P_VALUE_ADJUSTMENTS = ['holm', 'bh'] as const;

/** Body of `adjust`: the p-values of one family of comparisons. */
export const AdjustRequestSchema = z.strictObject({
  pValues: z.array(z.number().min(0).max(1)).max(10_000),
  method: z.enum(P_VALUE_ADJUSTMENTS),
});

export type AdjustRequest = z.output<typeof AdjustRequestSchema>;

const SampleSizeCommon = {
  /** Relative minimum detectable effect: 0.05 plans to detect a 5 % change of the baseline. */
  mde: z.number().refine((value) => value !== 0, 'must not be 0'),
  alpha: AlphaSchema.default(0.05),
  power: z.number().gt(0).lt(1).default(0.8),
};

/** Body of `sample-size`: a two-sided test of two equal arms. */
export const SampleSizeRequestSchema = z.discriminatedUnion('metric', [
  z.strictObject({
    metric: z.literal('proportion'),
    /** Conversion rate of the control, 0 < p < 1. */
    baseline: z.number().gt(0).lt(1),
    ...SampleSizeCommon,
  }),
  z.strictObject({
    metric: z.literal('mean'),
    /** Mean of the control (the relative MDE scales it), not 0. */
    baseline: z.number().refine((value) => value !== 0, 'must not be 0'),
    /** Per-unit standard deviation, assumed equal in both arms. */
    standardDeviation: z.number().positive(),
    ...SampleSizeCommon,
  }),
]);

export type SampleSizeRequest = z.output<typeof SampleSizeRequestSchema>;
export type SampleSizeInput = z.input<typeof SampleSizeRequestSchema>;
