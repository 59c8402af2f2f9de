/**
 * @module Bayesian comparison: flat prior, normal approximation of the effect, Δ ~ N(Δ̂, se²)
 * (the model of GrowthBook's engine; Stucchio, "Bayesian A/B Testing at VWO", 2015, for the loss).
 *
 * - chanceToWin = Φ(Δ̂/se) (Φ(−Δ̂/se) when lower is better).
 * - credible interval Δ̂ ± z(1 − α/2)·se.
 * - expectedLoss = E[max(0, −Δ)] = se·φ(Δ̂/se) − Δ̂·Φ(−Δ̂/se) (sign of Δ̂ flipped when lower is better).
 */
import type { MethodResult } from './comparison.js';
import { normalCdf, normalPdf, normalQuantile } from './distributions.js';
import type { EffectEstimate } from './effect.js';
import type { Direction } from './schemas.js';

/** Above this z the direct form of the linear loss loses digits to cancellation. */
const LOSS_FRACTION_FROM = 3;

/**
 * Unit normal linear loss L(z) = E[max(0, Z − z)] = φ(z) − z·Φ(−z).
 * For large z both terms nearly cancel (L(10) ≈ 7e-25 from terms ≈ 8e-23), so there it is
 * φ(z)·K/(z + K) with Φ(−z) = φ(z)/(z + K) and K = 1/(z + 2/(z + 3/(z + …))), Laplace's
 * continued fraction for the Mills ratio (A&S 26.2.14), evaluated by the modified Lentz method.
 */
export function normalLinearLoss(z: number): number {
  if (z < LOSS_FRACTION_FROM) return normalPdf(z) - z * normalCdf(-z);
  const tiny = 1e-300;
  let fraction = z;
  let c = z;
  let d = 0;
  for (let j = 2; j < 10_000; j++) {
    d = z + j * d;
    if (Math.abs(d) < tiny) d = tiny;
    d = 1 / d;
    c = z + j / c;
    if (Math.abs(c) < tiny) c = tiny;
    const delta = c * d;
    fraction *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  const k = 1 / fraction;
  return (normalPdf(z) * k) / (z + k);
}

export function bayesianComparison(
  effect: EffectEstimate,
  alpha: number,
  direction: Direction,
): MethodResult {
  const { estimate, standardError } = effect;
  const halfWidth = -normalQuantile(alpha / 2) * standardError;
  // The gain in the metric's better direction, in standard errors.
  const z = (direction === 'increase' ? estimate : -estimate) / standardError;
  return {
    estimate,
    standardError,
    ciLower: estimate - halfWidth,
    ciUpper: estimate + halfWidth,
    pValue: null,
    chanceToWin: normalCdf(z),
    expectedLoss: standardError * normalLinearLoss(z),
  };
}
