/**
 * @module CUPED: variance reduction with a pre-experiment covariate (Deng, Xu, Kohavi & Walker,
 * "Improving the Sensitivity of Online Controlled Experiments by Utilizing Pre-Experiment Data",
 * WSDM 2013, §3.2).
 *
 * θ = cov(x, y)/var(x) over all arms pooled (one θ for every arm, so the adjustment cannot create
 * a difference of its own); each arm's adjusted mean is a = ȳ − θ·x̄ with variance
 * (s²_y + θ²s²_x − 2θ·s_xy)/n, and cov(a, ȳ) = (s²_y − θ·s_xy)/n, which the relative effect needs.
 */
import type { ValidationIssue } from '../model/validation-result.js';
import type { ArmSummary } from './arm-summary.js';
import { differenceVariance, sampleCovariance, sampleVariance } from './sample-moments.js';
import type { PairedSums, VariantStatistics } from './schemas.js';
import { throwIfIssues } from './statistics-input-error.js';

/** An arm as the effect estimators see it: the (possibly adjusted) mean and the raw one. */
export interface ArmEstimate {
  n: number;
  /** The mean compared between arms: CUPED-adjusted a, or the raw mean. */
  adjustedMean: number;
  /** Variance of `adjustedMean`. */
  adjustedMeanVariance: number;
  /** The raw mean m (the baseline of a relative effect). */
  mean: number;
  /** Variance of the raw mean. */
  meanVariance: number;
  /** cov(adjustedMean, mean); equals `meanVariance` without CUPED. */
  covariance: number;
}

/** The arm unchanged: what every method uses without CUPED. */
export function unadjusted(arm: ArmSummary): ArmEstimate {
  return {
    n: arm.n,
    adjustedMean: arm.mean,
    adjustedMeanVariance: arm.meanVariance,
    mean: arm.mean,
    meanVariance: arm.meanVariance,
    covariance: arm.meanVariance,
  };
}

/**
 * Every arm's covariate sums, in order.
 *
 * @throws StatisticsInputError naming each arm without them.
 */
export function covariatesOf(variants: readonly VariantStatistics[]): PairedSums[] {
  const issues: ValidationIssue[] = [];
  const covariates: PairedSums[] = [];
  variants.forEach((variant, index) => {
    if (variant.covariate === undefined) {
      issues.push({ path: `/variants/${index}/covariate`, message: 'is required when cuped is true' });
    } else {
      covariates.push(variant.covariate);
    }
  });
  throwIfIssues(issues);
  return covariates;
}

/**
 * θ = cov(x, y)/var(x) over the pooled units of all arms. A covariate with no spread carries no
 * information, so θ is 0 then (CUPED leaves the arms unchanged) rather than 0/0.
 */
export function cupedTheta(
  variants: readonly VariantStatistics[],
  covariates: readonly PairedSums[],
): number {
  let n = 0;
  let sumY = 0;
  let sumX = 0;
  let sumXSquares = 0;
  let sumProduct = 0;
  variants.forEach((variant, index) => {
    const covariate = covariates[index] as PairedSums;
    n += variant.n;
    sumY += variant.sum;
    sumX += covariate.sum;
    sumXSquares += covariate.sumSquares;
    sumProduct += covariate.sumProduct;
  });
  const varianceX = sampleVariance(n, sumX, sumXSquares) ?? 0;
  if (varianceX === 0) return 0;
  return sampleCovariance(n, sumX, sumY, sumProduct) / varianceX;
}

/**
 * The arm adjusted by θ, or `undefined` after adding an issue when its covariate sums are
 * inconsistent. `arm.variance` is the metric's own s²_y (m(1 − m) for proportions).
 */
export function cupedAdjust(
  arm: ArmSummary,
  covariate: PairedSums,
  sum: number,
  theta: number,
  index: number,
  issues: ValidationIssue[],
): ArmEstimate | undefined {
  const path = `/variants/${index}/covariate`;
  const { n } = arm;
  const varianceX = sampleVariance(n, covariate.sum, covariate.sumSquares);
  if (varianceX === undefined) {
    issues.push({
      path: `${path}/sumSquares`,
      message: 'is inconsistent with sum and n: the variance would be negative',
    });
    return undefined;
  }
  const covarianceXY = sampleCovariance(n, covariate.sum, sum, covariate.sumProduct);
  const adjustedUnitVariance = differenceVariance(arm.variance, varianceX, covarianceXY, theta);
  if (adjustedUnitVariance === undefined) {
    issues.push({
      path: `${path}/sumProduct`,
      message: 'is inconsistent with the sums of squares: the adjusted variance would be negative',
    });
    return undefined;
  }
  return {
    n,
    adjustedMean: arm.mean - theta * (covariate.sum / n),
    adjustedMeanVariance: adjustedUnitVariance / n,
    mean: arm.mean,
    meanVariance: arm.meanVariance,
    covariance: (arm.variance - theta * covarianceXY) / n,
  };
}
