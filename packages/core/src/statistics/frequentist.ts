/**
 * @module Frequentist comparison: Welch's t-test (Welch 1947) on the effect estimate.
 *
 * t = Δ/se with Welch–Satterthwaite degrees of freedom; two-sided p = 2·P(T > |t|);
 * CI = Δ ± t(1 − α/2, df)·se.
 */
import type { MethodResult } from './comparison.js';
import { studentTTwoSided, studentTUpperQuantile } from './distributions.js';
import type { EffectEstimate } from './effect.js';

export function frequentistComparison(effect: EffectEstimate, alpha: number): MethodResult {
  const { estimate, standardError, degreesOfFreedom } = effect;
  const halfWidth = studentTUpperQuantile(alpha / 2, degreesOfFreedom) * standardError;
  return {
    estimate,
    standardError,
    ciLower: estimate - halfWidth,
    ciUpper: estimate + halfWidth,
    pValue: studentTTwoSided(estimate / standardError, degreesOfFreedom),
    chanceToWin: null,
    expectedLoss: null,
  };
}
