import { describe, expect, it } from 'vitest';
import type { ValidationIssue } from '../model/validation-result.js';
import { summarizeArm } from './arm-summary.js';
import { covariatesOf, cupedAdjust, cupedTheta } from './cuped.js';
import type { VariantStatistics } from './schemas.js';
import { StatisticsInputError } from './statistics-input-error.js';

/** Sufficient statistics of per-unit (x, y) pairs. */
function sumsOf(units: readonly (readonly [number, number])[]): VariantStatistics {
  let sum = 0;
  let sumSquares = 0;
  let covariateSum = 0;
  let covariateSquares = 0;
  let sumProduct = 0;
  for (const [x, y] of units) {
    sum += y;
    sumSquares += y * y;
    covariateSum += x;
    covariateSquares += x * x;
    sumProduct += x * y;
  }
  return {
    n: units.length,
    sum,
    sumSquares,
    covariate: { sum: covariateSum, sumSquares: covariateSquares, sumProduct },
  };
}

const control: [number, number][] = [
  [1, 2],
  [2, 4],
  [3, 5],
  [4, 9],
];
const treatment: [number, number][] = [
  [2, 5],
  [3, 5],
  [5, 10],
];

describe('CUPED', () => {
  it('estimates θ = cov(x, y)/var(x) over the pooled units of every arm', () => {
    const variants = [sumsOf(control), sumsOf(treatment)];
    const all = [...control, ...treatment];
    const meanX = all.reduce((sum, [x]) => sum + x, 0) / all.length;
    const meanY = all.reduce((sum, [, y]) => sum + y, 0) / all.length;
    const covariance = all.reduce((sum, [x, y]) => sum + (x - meanX) * (y - meanY), 0);
    const variance = all.reduce((sum, [x]) => sum + (x - meanX) ** 2, 0);
    expect(cupedTheta(variants, covariatesOf(variants))).toBeCloseTo(covariance / variance, 13);
  });

  it('adjusts an arm to ȳ − θx̄ with the variance of y − θx and cov(a, ȳ) = (s²_y − θs_xy)/n', () => {
    const variant = sumsOf(control);
    const issues: ValidationIssue[] = [];
    const summary = summarizeArm('mean', variant, 0, issues);
    if (summary === undefined || variant.covariate === undefined) throw new Error('unexpected');
    const theta = 1.7;
    const adjusted = cupedAdjust(summary, variant.covariate, variant.sum, theta, 0, issues);
    const residuals = control.map(([x, y]) => y - theta * x);
    const residualMean = residuals.reduce((sum, value) => sum + value, 0) / residuals.length;
    const residualVariance = residuals.reduce((sum, value) => sum + (value - residualMean) ** 2, 0) / 3;
    expect(issues).toEqual([]);
    expect(adjusted?.adjustedMean).toBeCloseTo(5 - theta * 2.5, 13);
    expect(adjusted?.adjustedMeanVariance).toBeCloseTo(residualVariance / 4, 13);
    const meanY = 5;
    const covariance =
      control.reduce((sum, [x, y]) => sum + (y - theta * x - residualMean) * (y - meanY), 0) / 3;
    expect(adjusted?.covariance).toBeCloseTo(covariance / 4, 13);
  });

  it('requires a covariate on every arm, naming each arm without one', () => {
    const without: VariantStatistics = { n: 4, sum: 1, sumSquares: 1 };
    expect(() => covariatesOf([without, sumsOf(treatment), without])).toThrow(StatisticsInputError);
    try {
      covariatesOf([without, sumsOf(treatment), without]);
    } catch (error) {
      expect((error as StatisticsInputError).issues.map((issue) => issue.path)).toEqual([
        '/variants/0/covariate',
        '/variants/2/covariate',
      ]);
    }
  });
});
