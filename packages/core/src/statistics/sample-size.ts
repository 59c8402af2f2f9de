/**
 * @module Sample size per variant for a two-sided test of two equal arms (normal approximation;
 * e.g. Chow, Shao & Wang, *Sample Size Calculations in Clinical Research*, 2nd ed., §4.2, §3.2).
 *
 * n = (z₁₋α/₂ + z_power)²·(σ₀² + σ₁²)/(μ₁ − μ₀)², rounded up, with μ₁ = μ₀(1 + mde):
 * proportions σ² = p(1 − p) per arm; means σ₀ = σ₁ = `standardDeviation`.
 */
import { normalQuantile } from './distributions.js';
import type { SampleSizeRequest } from './schemas.js';
import { throwIfIssues } from './statistics-input-error.js';

export interface SampleSizeResult {
  nPerVariant: number;
}

/**
 * Units each variant needs to detect a relative change of `mde` with the given power.
 *
 * @throws StatisticsInputError when a proportion's target rate p₀(1 + mde) leaves (0, 1).
 * @example
 * sampleSize({ metric: 'proportion', baseline: 0.1, mde: 0.1, alpha: 0.05, power: 0.8 }); // { nPerVariant: 14749 }
 */
export function sampleSize(request: SampleSizeRequest): SampleSizeResult {
  const { baseline, mde, alpha, power } = request;
  const target = baseline * (1 + mde);
  let varianceSum: number;
  if (request.metric === 'proportion') {
    if (!(target > 0 && target < 1)) {
      throwIfIssues([
        {
          path: '/mde',
          message: `moves the baseline to ${target}, outside (0, 1): no proportion can reach it`,
        },
      ]);
    }
    varianceSum = baseline * (1 - baseline) + target * (1 - target);
  } else {
    varianceSum = 2 * request.standardDeviation ** 2;
  }
  // Upper quantiles as −Φ⁻¹(lower tail): 1 − α/2 would already have rounded for tiny α.
  const zAlpha = -normalQuantile(alpha / 2);
  const zPower = -normalQuantile(1 - power);
  const n = ((zAlpha + zPower) ** 2 * varianceSum) / (target - baseline) ** 2;
  // Past 2^53 units the count is no longer an exact integer, and no experiment gets that far.
  if (!(n <= Number.MAX_SAFE_INTEGER)) {
    throwIfIssues([
      { path: '/mde', message: 'is too small to detect: it would take more than 2^53 units per variant' },
    ]);
  }
  return { nPerVariant: Math.ceil(n) };
}
