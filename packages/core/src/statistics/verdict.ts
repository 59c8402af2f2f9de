/**
 * @module The verdict on one comparison: did the treatment win, lose, or is it too early to say?
 *
 * - frequentist and sequential: significant when the p-value (adjusted for multiple comparisons,
 *   when the experiment uses a correction) is below alpha; `win` if the effect goes the metric's
 *   better way, `loss` otherwise.
 * - bayesian: `win` when chanceToWin > 1 − alpha/2, `loss` when chanceToWin < alpha/2 (the same
 *   two-sided error budget as the other methods).
 */
import type { Comparison } from './comparison.js';
import type { Direction, Method } from './schemas.js';

export type Verdict = 'win' | 'loss' | 'inconclusive';

export interface VerdictSettings {
  method: Method;
  alpha: number;
  /** Which way is better for the metric; default `increase`. */
  direction?: Direction;
  /** The comparison's p-value after `adjustPValues`, used instead of `comparison.pValue`. */
  adjustedPValue?: number;
}

/**
 * @example
 * comparisonVerdict({ estimate: 0.041, pValue: 0.003, chanceToWin: null }, { method: 'frequentist', alpha: 0.05 }); // 'win'
 * comparisonVerdict({ estimate: 0.041, pValue: 0.003, chanceToWin: null },
 *   { method: 'frequentist', alpha: 0.05, direction: 'decrease' }); // 'loss'
 */
export function comparisonVerdict(
  comparison: Pick<Comparison, 'estimate' | 'pValue' | 'chanceToWin'>,
  settings: VerdictSettings,
): Verdict {
  const { method, alpha } = settings;
  if (method === 'bayesian') {
    // chanceToWin already faces the metric's better direction.
    const chance = comparison.chanceToWin;
    if (chance === null) return 'inconclusive';
    if (chance > 1 - alpha / 2) return 'win';
    return chance < alpha / 2 ? 'loss' : 'inconclusive';
  }
  const pValue = settings.adjustedPValue ?? comparison.pValue;
  if (pValue === null || !(pValue < alpha)) return 'inconclusive';
  const better =
    (settings.direction ?? 'increase') === 'increase' ? comparison.estimate > 0 : comparison.estimate < 0;
  return better ? 'win' : 'loss';
}
