/**
 * @module Sample variances and covariances from sufficient statistics (n, Σx, Σx², Σxy).
 *
 * Σx² − (Σx)²/n cancels when the spread is tiny against the mean, so a consistent input can
 * come out a hair below zero. Those are rounded to zero; anything further below is a sign of
 * sums that no data could produce, and is reported instead of analysed.
 */

/** Relative size of rounding noise tolerated in Σx² − (Σx)²/n before a negative is an error. */
const CANCELLATION_TOLERANCE = 1e-9;

/**
 * Sample variance (n − 1 denominator), or `undefined` when the sums are inconsistent (it would
 * be < 0) or too large for double precision.
 */
export function sampleVariance(n: number, sum: number, sumSquares: number): number | undefined {
  const centered = sumSquares - (sum * sum) / n;
  if (!Number.isFinite(centered)) return undefined;
  if (centered < 0) {
    const scale = Math.max(Math.abs(sumSquares), (sum * sum) / n);
    return -centered <= CANCELLATION_TOLERANCE * scale ? 0 : undefined;
  }
  return centered / (n - 1);
}

/** Sample covariance (n − 1 denominator) of x and y from Σx, Σy and Σxy. */
export function sampleCovariance(n: number, sumX: number, sumY: number, sumProduct: number): number {
  return (sumProduct - (sumX * sumY) / n) / (n - 1);
}

/**
 * Var(A − w·B) = var_A + w²·var_B − 2w·cov_AB, the variance both the delta method (ratio metrics)
 * and CUPED need; `undefined` when it comes out clearly negative, which only sums no data could
 * produce do (they break Cauchy–Schwarz, cov² ≤ var_A·var_B).
 */
export function differenceVariance(
  varianceA: number,
  varianceB: number,
  covariance: number,
  weight: number,
): number | undefined {
  const value = varianceA + weight * weight * varianceB - 2 * weight * covariance;
  if (value >= 0) return value;
  const scale = varianceA + weight * weight * varianceB + Math.abs(2 * weight * covariance);
  return -value <= CANCELLATION_TOLERANCE * scale ? 0 : undefined;
}
