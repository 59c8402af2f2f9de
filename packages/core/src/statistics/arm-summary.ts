/**
 * @module Per-arm summaries: mean, unit variance and variance of the mean from sufficient statistics.
 *
 * - mean: m = Σx/n, s² = (Σx² − (Σx)²/n)/(n − 1).
 * - proportion: `sum` counts conversions, m = Σx/n, s² = m(1 − m) (the Bernoulli variance).
 * - ratio: m = Σnum/Σden; by the delta method (Deng, Knoblich & Lu, "Applying the Delta Method in
 *   Metric Analytics", KDD 2018, eq. 3) v = (s²_num − 2m·s_num,den + m²·s²_den)/(n·d̄²) with
 *   d̄ = Σden/n; the unit variance reported is n·v.
 * In every case the variance of the arm's mean is v = s²/n.
 */
import type { ValidationIssue } from '../model/validation-result.js';
import { differenceVariance, sampleCovariance, sampleVariance } from './sample-moments.js';
import type { MetricKind, VariantStatistics } from './schemas.js';

export interface ArmSummary {
  n: number;
  /** The arm's mean (a ratio of sums for ratio metrics). */
  mean: number;
  /** Unit variance s² (n·v for ratio metrics). */
  variance: number;
  /** Variance of the mean, v = s²/n. */
  meanVariance: number;
}

const INCONSISTENT = 'is inconsistent with sum and n: the variance would be negative';

/**
 * Summarizes arm `index`, or returns `undefined` after adding to `issues` what makes its sums
 * unusable (paths point into the `analyze` request).
 */
export function summarizeArm(
  metric: MetricKind,
  variant: VariantStatistics,
  index: number,
  issues: ValidationIssue[],
): ArmSummary | undefined {
  const path = `/variants/${index}`;
  const { n, sum, sumSquares } = variant;
  if (metric !== 'ratio' && variant.denominator !== undefined) {
    issues.push({ path: `${path}/denominator`, message: `is only for ratio metrics, not ${metric}` });
    return undefined;
  }
  if (metric === 'proportion') {
    if (sum < 0 || sum > n) {
      issues.push({
        path: `${path}/sum`,
        message: `counts conversions, so it must be between 0 and n (${n})`,
      });
      return undefined;
    }
    if (sumSquares !== undefined && sumSquares !== sum) {
      issues.push({
        path: `${path}/sumSquares`,
        message: 'must equal sum for a proportion (x² = x for 0/1 values)',
      });
      return undefined;
    }
    const mean = sum / n;
    const variance = mean * (1 - mean);
    return { n, mean, variance, meanVariance: variance / n };
  }
  if (sumSquares === undefined) {
    issues.push({ path: `${path}/sumSquares`, message: `is required for ${metric} metrics` });
    return undefined;
  }
  if (!Number.isFinite(sumSquares - (sum * sum) / n)) {
    issues.push({ path: `${path}/sumSquares`, message: 'is too large to analyse in double precision' });
    return undefined;
  }
  const variance = sampleVariance(n, sum, sumSquares);
  if (variance === undefined) {
    issues.push({ path: `${path}/sumSquares`, message: INCONSISTENT });
    return undefined;
  }
  if (metric === 'mean') return { n, mean: sum / n, variance, meanVariance: variance / n };
  return summarizeRatioArm(variant, variance, index, issues);
}

function summarizeRatioArm(
  variant: VariantStatistics,
  numeratorVariance: number,
  index: number,
  issues: ValidationIssue[],
): ArmSummary | undefined {
  const path = `/variants/${index}/denominator`;
  const { n, sum, denominator } = variant;
  if (denominator === undefined) {
    issues.push({ path, message: 'is required for ratio metrics' });
    return undefined;
  }
  if (denominator.sum === 0) {
    issues.push({ path: `${path}/sum`, message: 'must not be 0: the ratio would divide by zero' });
    return undefined;
  }
  const denominatorVariance = sampleVariance(n, denominator.sum, denominator.sumSquares);
  if (denominatorVariance === undefined) {
    issues.push({ path: `${path}/sumSquares`, message: INCONSISTENT });
    return undefined;
  }
  const mean = sum / denominator.sum;
  const covariance = sampleCovariance(n, sum, denominator.sum, denominator.sumProduct);
  // Unit variance of num − m·den, the linearized ratio; negative only for impossible sums.
  const linearized = differenceVariance(numeratorVariance, denominatorVariance, covariance, mean);
  if (linearized === undefined) {
    issues.push({
      path: `${path}/sumProduct`,
      message: 'is inconsistent with the sums of squares: the delta-method variance would be negative',
    });
    return undefined;
  }
  const denominatorMean = denominator.sum / n;
  const meanVariance = linearized / (n * denominatorMean * denominatorMean);
  return { n, mean, variance: n * meanVariance, meanVariance };
}
