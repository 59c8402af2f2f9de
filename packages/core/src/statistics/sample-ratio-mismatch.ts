/**
 * @module Sample ratio mismatch (SRM): do the arms' unit counts fit the planned traffic weights?
 *
 * Pearson's chi-square goodness-of-fit test, χ² = Σ (oᵢ − eᵢ)²/eᵢ with eᵢ = wᵢ·Σo, on k − 1
 * degrees of freedom. A mismatch means assignment or logging is broken, so no effect in the
 * experiment can be trusted (Fabijan et al., "Diagnosing Sample Ratio Mismatch in Online
 * Controlled Experiments", KDD 2019, which also motivates the strict threshold).
 */
import { WEIGHT_SUM_TOLERANCE } from '../model/experiment.js';
import type { ValidationIssue } from '../model/validation-result.js';
import { chiSquareSurvival } from './distributions.js';
import type { SrmRequest } from './schemas.js';
import { throwIfIssues } from './statistics-input-error.js';

/** An SRM is flagged below this p-value: strict, because the check runs on every refresh. */
export const SRM_P_VALUE_THRESHOLD = 0.001;

export interface SrmResult {
  chiSquare: number;
  pValue: number;
}

/**
 * Tests observed `counts` against `weights`.
 *
 * @throws StatisticsInputError when the lengths differ, the weights do not sum to 1, or no unit was counted.
 * @example
 * sampleRatioMismatch({ counts: [5000, 5300], weights: [0.5, 0.5] }); // { chiSquare: 8.74, pValue: 0.0031 }
 */
export function sampleRatioMismatch(request: SrmRequest): SrmResult {
  const { counts, weights } = request;
  const issues: ValidationIssue[] = [];
  if (counts.length !== weights.length) {
    issues.push({
      path: '/weights',
      message: `must have one weight per count (${counts.length}), not ${weights.length}`,
    });
  }
  const weightSum = weights.reduce((sum, weight) => sum + weight, 0);
  if (Math.abs(weightSum - 1) > WEIGHT_SUM_TOLERANCE) {
    issues.push({ path: '/weights', message: `must sum to 1, not ${weightSum}` });
  }
  const total = counts.reduce((sum, count) => sum + count, 0);
  if (total === 0) issues.push({ path: '/counts', message: 'must count at least one unit' });
  throwIfIssues(issues);
  let chiSquare = 0;
  counts.forEach((count, index) => {
    const expected = (weights[index] as number) * total;
    chiSquare += (count - expected) ** 2 / expected;
  });
  return { chiSquare, pValue: chiSquareSurvival(chiSquare, counts.length - 1) };
}

/** Whether an SRM p-value means the experiment's traffic split is broken. */
export function isSampleRatioMismatch(pValue: number): boolean {
  return pValue < SRM_P_VALUE_THRESHOLD;
}
