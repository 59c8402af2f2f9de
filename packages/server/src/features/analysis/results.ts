/**
 * @module features/analysis/results
 * From per-variant sufficient statistics to what people read: `@cleave/core`'s statistics engine
 * per metric (and per day, and per dimension value), multiple-comparison corrections across the
 * primary metrics, verdicts, guardrails, the SRM check, and one plain sentence per comparison.
 *
 * A metric the engine cannot analyse (fewer than two units in an arm, no variation, a zero
 * control mean under a relative effect) gets null statistics, an `inconclusive` verdict and a
 * note saying why, rather than failing the whole analysis.
 */
import {
  adjustPValues,
  analyze,
  type Comparison,
  comparisonVerdict,
  describeComparison,
  isSampleRatioMismatch,
  sampleRatioMismatch,
  validateAnalyzeRequest,
} from '@cleave/core';
import type { DailySums, DimensionSums, ExposureCounts, VariantSums } from '../../ports/analysis-queries.js';
import type { AnalysisSettings } from '../experiments/experiment-document.js';
import type { ComparisonResult, Health, MetricResult, VariantResult } from './schemas.js';

export type MetricRole = 'primary' | 'secondary' | 'guardrail';

export interface MetricInput {
  key: string;
  role: MetricRole;
  type: 'proportion' | 'mean' | 'ratio';
  direction: 'increase' | 'decrease';
  /** Whether the sums carry a CUPED covariate. */
  cuped: boolean;
  sums: VariantSums[];
  daily: DailySums['days'];
}

export interface ResultsInput {
  settings: AnalysisSettings;
  /** Control first. */
  variations: { key: string; weight: number }[];
  exposures: ExposureCounts;
  ended: Health['ended'];
  metrics: MetricInput[];
}

type MetricMeta = Pick<MetricInput, 'key' | 'type' | 'direction' | 'cuped'>;

/** JSON has no NaN or Infinity: a statistic that is not a finite number is reported as null. */
function finite(value: number | null | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

interface Analysed {
  variants: VariantResult[];
  /** Engine comparisons, one per treatment; undefined when the metric could not be analysed. */
  comparisons: Comparison[] | undefined;
  note?: string;
}

/** Descriptive statistics when the engine cannot help: n and the mean, no variance. */
function plainVariants(meta: MetricMeta, sums: readonly VariantSums[]): VariantResult[] {
  return sums.map((variant) => {
    const denominator = meta.type === 'ratio' ? (variant.denominator?.sum ?? 0) : variant.n;
    return {
      variant: variant.variant,
      n: variant.n,
      mean: finite(variant.sum / denominator),
      variance: null,
    };
  });
}

function analyseSums(settings: AnalysisSettings, meta: MetricMeta, sums: readonly VariantSums[]): Analysed {
  if (sums.length < 2) return { variants: plainVariants(meta, sums), comparisons: [] };
  const validated = validateAnalyzeRequest({
    metric: meta.type,
    method: settings.method,
    effect: settings.effect,
    alpha: settings.alpha,
    cuped: meta.cuped,
    sequentialTuning: settings.sequentialTuning,
    direction: meta.direction,
    variants: sums.map(({ n, sum, sumSquares, covariate, denominator }) => ({
      n,
      sum,
      sumSquares,
      ...(meta.cuped && covariate && { covariate }),
      ...(denominator && { denominator }),
    })),
  });
  if (!validated.ok) {
    const issue = validated.issues[0];
    return {
      variants: plainVariants(meta, sums),
      comparisons: undefined,
      note: issue
        ? `Not enough data to analyse: ${issue.path} ${issue.message}`
        : 'Not enough data to analyse.',
    };
  }
  try {
    const result = analyze(validated.value);
    return {
      variants: result.variants.map((variant, index) => ({
        variant: sums[index]?.variant ?? String(index),
        n: variant.n,
        mean: finite(variant.mean),
        variance: finite(variant.variance),
      })),
      comparisons: result.comparisons,
    };
  } catch (error) {
    return {
      variants: plainVariants(meta, sums),
      comparisons: undefined,
      note: `Cannot analyse yet: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}

function comparisonResults(
  settings: AnalysisSettings,
  meta: MetricMeta,
  variations: readonly { key: string }[],
  analysed: Analysed,
  adjusted?: ReadonlyMap<number, number>,
): ComparisonResult[] {
  return variations.slice(1).map((variation, offset) => {
    const index = offset + 1;
    const comparison = analysed.comparisons?.find((candidate) => candidate.variant === index);
    if (!comparison) {
      return {
        variant: variation.key,
        estimate: null,
        standardError: null,
        ciLower: null,
        ciUpper: null,
        pValue: null,
        ...(adjusted && { adjustedPValue: null }),
        chanceToWin: null,
        expectedLoss: null,
        verdict: 'inconclusive' as const,
        ...(analysed.note && { note: analysed.note }),
      };
    }
    const adjustedPValue = adjusted?.get(index);
    return {
      variant: variation.key,
      estimate: finite(comparison.estimate),
      standardError: finite(comparison.standardError),
      ciLower: finite(comparison.ciLower),
      ciUpper: finite(comparison.ciUpper),
      pValue: finite(comparison.pValue),
      ...(adjusted && { adjustedPValue: finite(adjustedPValue) }),
      chanceToWin: finite(comparison.chanceToWin),
      expectedLoss: finite(comparison.expectedLoss),
      verdict: comparisonVerdict(comparison, {
        method: settings.method,
        alpha: settings.alpha,
        direction: meta.direction,
        ...(adjustedPValue !== undefined && { adjustedPValue }),
      }),
    };
  });
}

/** Comparisons of one metric without corrections (a day of the series, a dimension value). */
function plainComparisons(
  settings: AnalysisSettings,
  meta: MetricMeta,
  variations: readonly { key: string }[],
  sums: readonly VariantSums[],
) {
  const analysed = analyseSums(settings, meta, sums);
  return {
    variants: analysed.variants,
    comparisons: comparisonResults(settings, meta, variations, analysed),
  };
}

function srmOf(input: ResultsInput): Health['srm'] {
  const counts = input.variations.map((variation) => input.exposures.units[variation.key] ?? 0);
  if (counts.length < 2 || counts.every((count) => count === 0))
    return { chiSquare: null, pValue: null, flagged: false };
  try {
    const { chiSquare, pValue } = sampleRatioMismatch({
      counts,
      weights: input.variations.map((variation) => variation.weight),
    });
    return { chiSquare: finite(chiSquare), pValue: finite(pValue), flagged: isSampleRatioMismatch(pValue) };
  } catch {
    // Weights of 0 (a variation switched off) cannot be tested against.
    return { chiSquare: null, pValue: null, flagged: false };
  }
}

export function computeResults(input: ResultsInput): { health: Health; metrics: MetricResult[] } {
  const { settings, variations } = input;
  const analysed = input.metrics.map((metric) => analyseSums(settings, metric, metric.sums));

  // One family: every treatment × every primary metric (frequentist and sequential p-values).
  const adjusted = new Map<number, Map<number, number>>();
  if (settings.correction !== 'none') {
    const family: { metric: number; variant: number; pValue: number }[] = [];
    input.metrics.forEach((metric, metricIndex) => {
      if (metric.role !== 'primary') return;
      for (const comparison of analysed[metricIndex]?.comparisons ?? []) {
        if (comparison.pValue !== null && Number.isFinite(comparison.pValue))
          family.push({ metric: metricIndex, variant: comparison.variant, pValue: comparison.pValue });
      }
    });
    const corrected = adjustPValues(
      family.map((member) => member.pValue),
      settings.correction,
    );
    family.forEach((member, index) => {
      const byVariant = adjusted.get(member.metric) ?? new Map<number, number>();
      byVariant.set(member.variant, corrected[index] as number);
      adjusted.set(member.metric, byVariant);
    });
  }

  const metrics: MetricResult[] = input.metrics.map((metric, index) => {
    const primaryCorrected = settings.correction !== 'none' && metric.role === 'primary';
    return {
      metric: metric.key,
      role: metric.role,
      variants: analysed[index]?.variants ?? [],
      comparisons: comparisonResults(
        settings,
        metric,
        variations,
        analysed[index] as Analysed,
        primaryCorrected ? (adjusted.get(index) ?? new Map()) : undefined,
      ),
      series: metric.daily.map((day) => ({
        date: day.date,
        ...plainComparisons(settings, metric, variations, day.variants),
      })),
    };
  });

  const summary: Health['summary'] = [];
  const guardrails: Health['guardrails'] = [];
  input.metrics.forEach((metric, metricIndex) => {
    const result = metrics[metricIndex] as MetricResult;
    for (const comparison of result.comparisons) {
      if (metric.role === 'guardrail')
        guardrails.push({
          metric: metric.key,
          variant: comparison.variant,
          regressed: comparison.verdict === 'loss',
        });
      const index = variations.findIndex((variation) => variation.key === comparison.variant);
      const engine = analysed[metricIndex]?.comparisons?.find((candidate) => candidate.variant === index);
      summary.push({
        metric: metric.key,
        variant: comparison.variant,
        sentence: engine
          ? describeComparison(engine, {
              method: settings.method,
              alpha: settings.alpha,
              direction: metric.direction,
              ...(comparison.adjustedPValue !== undefined &&
                comparison.adjustedPValue !== null && { adjustedPValue: comparison.adjustedPValue }),
              metric: metric.type,
              effect: settings.effect,
              metricName: metric.key,
              variantName: comparison.variant,
            })
          : `No result for ${comparison.variant} on ${metric.key} yet: ${comparison.note ?? 'not enough data'}.`,
      });
    }
  });

  return {
    health: {
      units: input.exposures.units,
      srm: srmOf(input),
      multipleVariantUnits: input.exposures.multipleVariantUnits,
      unknownVariantUnits: input.exposures.unknownVariantUnits,
      guardrails,
      plannedUnits: settings.plannedUnits ?? null,
      ended: input.ended,
      summary,
    },
    metrics,
  };
}

/** A metric broken down by a dimension's values (no corrections: breakdowns are for exploring). */
export function computeDimension(
  settings: AnalysisSettings,
  variations: readonly { key: string }[],
  metric: MetricMeta,
  name: string,
  values: DimensionSums['values'],
): NonNullable<MetricResult['dimension']> {
  return {
    name,
    values: values.map((value) => ({
      value: value.value,
      ...plainComparisons(settings, metric, variations, value.variants),
    })),
  };
}
