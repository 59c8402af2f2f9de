/**
 * @module `analyze`: one metric of one experiment, every treatment against control.
 *
 * Sufficient statistics in (per arm n, Σx, Σx², and the covariate or denominator sums),
 * per-arm summaries and one comparison per treatment out. Work is O(arms), independent of how
 * many units or events produced the sums. The formulas are in docs/statistics.md.
 */
import { type ValidationIssue, type ValidationResult, validateWith } from '../model/validation-result.js';
import { type ArmSummary, summarizeArm } from './arm-summary.js';
import { bayesianComparison } from './bayesian.js';
import type { Comparison, MethodResult } from './comparison.js';
import { type ArmEstimate, covariatesOf, cupedAdjust, cupedTheta, unadjusted } from './cuped.js';
import { type EffectEstimate, estimateEffect } from './effect.js';
import { frequentistComparison } from './frequentist.js';
import {
  type AnalyzeRequest,
  AnalyzeRequestSchema,
  type PairedSums,
  type VariantStatistics,
} from './schemas.js';
import { sequentialComparison } from './sequential.js';
import { StatisticsInputError, throwIfIssues } from './statistics-input-error.js';

/** An arm as reported: n, mean, and unit variance s² (n·v for ratio metrics); raw, never CUPED-adjusted. */
export interface VariantResult {
  n: number;
  mean: number;
  variance: number;
}

export interface AnalyzeResult {
  variants: VariantResult[];
  /** One per treatment, in request order (`variant` is the index in `variants`). */
  comparisons: Comparison[];
}

/**
 * Analyses one metric: a comparison of every treatment (`variants[1..]`) with control (`variants[0]`).
 * Takes a request validated by `AnalyzeRequestSchema` (or `validateAnalyzeRequest`); p-values are
 * not adjusted for multiple comparisons here (see `adjustPValues`).
 *
 * @throws StatisticsInputError for input the schema cannot judge: inconsistent sums, missing
 *   covariate/denominator sums, a zero control mean with a relative effect, no variation at all.
 * @example
 * analyze(AnalyzeRequestSchema.parse({ metric: 'proportion', variants: [{ n: 1000, sum: 100 }, { n: 1000, sum: 130 }] }));
 * // { variants: [{ n: 1000, mean: 0.1, variance: 0.09 }, { n: 1000, mean: 0.13, variance: 0.1131 }],
 * //   comparisons: [{ variant: 1, estimate: 0.3, standardError: 0.163, ciLower: -0.019, ciUpper: 0.619,
 * //                   pValue: 0.066, chanceToWin: null, expectedLoss: null }] }
 */
export function analyze(request: AnalyzeRequest): AnalyzeResult {
  const issues: ValidationIssue[] = [];
  const arms = request.variants.map((variant, index) => summarizeArm(request.metric, variant, index, issues));
  if (request.cuped && request.metric === 'ratio') {
    issues.push({ path: '/cuped', message: 'is not available for ratio metrics' });
  }
  throwIfIssues(issues);
  const summaries = arms as ArmSummary[];
  const estimates = request.cuped ? adjustArms(request, summaries) : summaries.map(unadjusted);
  const control = estimates[0] as ArmEstimate;
  if (request.effect === 'relative' && control.mean === 0) {
    throwIfIssues([
      {
        path: '/variants/0/sum',
        message: "gives a control mean of 0: a relative effect is undefined (use effect 'absolute')",
      },
    ]);
  }
  const comparisons = estimates.slice(1).map((treatment, offset) => {
    const index = offset + 1;
    const effect = estimateEffect(control, treatment, request.effect);
    if (!(effect.standardError > 0)) {
      throw new StatisticsInputError([
        {
          path: `/variants/${index}`,
          message:
            'has a standard error of 0 against control (no variation to test against): nothing can be inferred',
        },
      ]);
    }
    return { variant: index, ...compare(request, effect, control.n + treatment.n) };
  });
  const result: AnalyzeResult = {
    variants: summaries.map(({ n, mean, variance }) => ({ n, mean, variance })),
    comparisons,
  };
  assertFinite(result);
  return result;
}

/**
 * Validates and analyses JSON in one step (what `POST /api/v1/stats/analyze` does).
 *
 * @throws StatisticsInputError with every schema issue, or the issues `analyze` finds.
 */
export function analyzeJson(input: unknown): AnalyzeResult {
  const validated = validateAnalyzeRequest(input);
  if (!validated.ok) throw new StatisticsInputError(validated.issues);
  return analyze(validated.value);
}

/** Validates an `analyze` request body, with the JSON Pointer path of every bad field. */
export function validateAnalyzeRequest(input: unknown): ValidationResult<AnalyzeRequest> {
  return validateWith(AnalyzeRequestSchema, input);
}

function adjustArms(request: AnalyzeRequest, arms: readonly ArmSummary[]): ArmEstimate[] {
  const covariates = covariatesOf(request.variants);
  const theta = cupedTheta(request.variants, covariates);
  const issues: ValidationIssue[] = [];
  const adjusted = arms.map((arm, index) => {
    const variant = request.variants[index] as VariantStatistics;
    return cupedAdjust(arm, covariates[index] as PairedSums, variant.sum, theta, index, issues);
  });
  throwIfIssues(issues);
  return adjusted as ArmEstimate[];
}

function compare(request: AnalyzeRequest, effect: EffectEstimate, totalUnits: number): MethodResult {
  switch (request.method) {
    case 'frequentist':
      return frequentistComparison(effect, request.alpha);
    case 'bayesian':
      return bayesianComparison(effect, request.alpha, request.direction);
    case 'sequential':
      return sequentialComparison(effect, request.alpha, totalUnits, request.sequentialTuning);
  }
}

/** Sums so large that a moment overflows would otherwise surface as Infinity or NaN in a result. */
function assertFinite(result: AnalyzeResult): void {
  const issues: ValidationIssue[] = [];
  result.variants.forEach((variant, index) => {
    if (!Object.values(variant).every(Number.isFinite)) {
      issues.push({
        path: `/variants/${index}`,
        message: 'has sums too large to analyse in double precision',
      });
    }
  });
  for (const comparison of result.comparisons) {
    const values = Object.values(comparison).filter((value) => value !== null);
    if (!values.every(Number.isFinite)) {
      issues.push({
        path: `/variants/${comparison.variant}`,
        message: 'gives a comparison that double precision cannot represent (sums too large, or degenerate)',
      });
    }
  }
  throwIfIssues(issues);
}
