/**
 * @module The treatment effect against control and its standard error, absolute or relative.
 *
 * - absolute: Δ = a₁ − a₀, se² = v₁ + v₀.
 * - relative: Δ = (a₁ − a₀)/|m₀| by the delta method (Deng, Knoblich & Lu, KDD 2018, §3.3), with
 *   se² = (v₁ + v₀)/m₀² + D²·v(m₀)/m₀⁴ + 2D·cov(a₀, m₀)/m₀³, D = a₁ − a₀. Without CUPED
 *   (a = m, cov = v₀) this is the familiar v₁/m₀² + m₁²v₀/m₀⁴; with CUPED the covariance term
 *   carries the correlation between the adjusted difference and the raw control mean.
 * - Degrees of freedom: Welch–Satterthwaite from v₀, v₁, n₀, n₁ (Welch 1947).
 */
import type { ArmEstimate } from './cuped.js';
import type { Effect } from './schemas.js';

export interface EffectEstimate {
  estimate: number;
  standardError: number;
  degreesOfFreedom: number;
}

/** Welch–Satterthwaite degrees of freedom; scaled by the larger variance so tiny ones cannot underflow. */
export function welchDegreesOfFreedom(
  controlVariance: number,
  controlN: number,
  treatmentVariance: number,
  treatmentN: number,
): number {
  const scale = Math.max(controlVariance, treatmentVariance);
  const control = controlVariance / scale;
  const treatment = treatmentVariance / scale;
  return (control + treatment) ** 2 / (control ** 2 / (controlN - 1) + treatment ** 2 / (treatmentN - 1));
}

/**
 * Δ and se of `treatment` against `control`. The caller guarantees a non-zero control mean for
 * a relative effect and that some arm varies (else the degrees of freedom are 0/0).
 */
export function estimateEffect(control: ArmEstimate, treatment: ArmEstimate, effect: Effect): EffectEstimate {
  const difference = treatment.adjustedMean - control.adjustedMean;
  const differenceVariance = treatment.adjustedMeanVariance + control.adjustedMeanVariance;
  const degreesOfFreedom = welchDegreesOfFreedom(
    control.adjustedMeanVariance,
    control.n,
    treatment.adjustedMeanVariance,
    treatment.n,
  );
  if (effect === 'absolute') {
    return { estimate: difference, standardError: Math.sqrt(differenceVariance), degreesOfFreedom };
  }
  const baseline = control.mean;
  const baseline2 = baseline * baseline;
  const unadjustedControl =
    control.adjustedMean === control.mean && control.covariance === control.meanVariance;
  // Control's share of se²·m₀⁴. Unadjusted, v₀(m₀² + D² + 2Dm₀) is exactly v₀·m₁²: use that form,
  // which cannot cancel when m₁ is near 0.
  const controlTerm = unadjustedControl
    ? treatment.adjustedMean * treatment.adjustedMean * control.meanVariance
    : control.adjustedMeanVariance * baseline2 +
      difference * difference * control.meanVariance +
      2 * difference * control.covariance * baseline;
  const variance = treatment.adjustedMeanVariance / baseline2 + controlTerm / (baseline2 * baseline2);
  return {
    estimate: difference / Math.abs(baseline),
    // A covariance matrix is positive semi-definite, so only rounding can push this below 0.
    standardError: Math.sqrt(Math.max(0, variance)),
    degreesOfFreedom,
  };
}
