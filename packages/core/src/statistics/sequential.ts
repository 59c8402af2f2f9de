/**
 * @module Sequential comparison: an asymptotic confidence sequence with a normal mixture
 * (Howard, Ramdas, McAuliffe & Sekhon, "Time-uniform, nonparametric, nonasymptotic confidence
 * sequences", Ann. Statist. 2021, eq. 14; Waudby-Smith et al., "Time-uniform central limit
 * theory and asymptotic confidence sequences", 2021, Thm 2.2). Valid at every look, so results
 * may be checked as often as wanted.
 *
 * With N = n₀ + n₁ units, s² = se²·N and ρ² = (−2 ln α + ln(−2 ln α + 1))/N* (the mixture that
 * makes the sequence tightest at N* units):
 * half-width = s·√( 2(Nρ² + 1)/(N²ρ²) · ln(√(Nρ² + 1)/α) ),
 * p = min(1, √(Nρ² + 1)·exp(−ρ²NΔ²/(2se²(Nρ² + 1)))).
 */
import type { MethodResult } from './comparison.js';
import type { EffectEstimate } from './effect.js';

/** ρ² of the mixing distribution that minimizes the sequence's width at `tuning` total units. */
export function mixingVariance(alpha: number, tuning: number): number {
  const logTerm = -2 * Math.log(alpha);
  return (logTerm + Math.log(logTerm + 1)) / tuning;
}

export function sequentialComparison(
  effect: EffectEstimate,
  alpha: number,
  totalUnits: number,
  tuning: number,
): MethodResult {
  const { estimate, standardError } = effect;
  const n = totalUnits;
  const rho2 = mixingVariance(alpha, tuning);
  const spread = n * rho2 + 1;
  const unitSd = standardError * Math.sqrt(n);
  const halfWidth = unitSd * Math.sqrt(((2 * spread) / (n * n * rho2)) * Math.log(Math.sqrt(spread) / alpha));
  const z = estimate / standardError;
  // In logs: the exponential underflows long before the p-value stops being meaningful as 0.
  const logP = 0.5 * Math.log(spread) - (rho2 * n * z * z) / (2 * spread);
  return {
    estimate,
    standardError,
    ciLower: estimate - halfWidth,
    ciUpper: estimate + halfWidth,
    pValue: Math.min(1, Math.exp(logP)),
    chanceToWin: null,
    expectedLoss: null,
  };
}
