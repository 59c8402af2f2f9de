import { describe, expect, it } from 'vitest';
import { type ArmEstimate, unadjusted } from './cuped.js';
import { estimateEffect, welchDegreesOfFreedom } from './effect.js';

const arm = (n: number, mean: number, variance: number) =>
  unadjusted({ n, mean, variance, meanVariance: variance / n });

describe('estimateEffect', () => {
  it('absolute: Δ = m₁ − m₀ and se = √(v₁ + v₀)', () => {
    const effect = estimateEffect(arm(100, 10, 4), arm(50, 12, 9), 'absolute');
    expect(effect.estimate).toBe(2);
    expect(effect.standardError).toBeCloseTo(Math.sqrt(0.04 + 0.18), 15);
  });

  it('relative: Δ = (m₁ − m₀)/|m₀| with se² = v₁/m₀² + m₁²v₀/m₀⁴', () => {
    const effect = estimateEffect(arm(100, 10, 4), arm(50, 12, 9), 'relative');
    expect(effect.estimate).toBeCloseTo(0.2, 15);
    expect(effect.standardError).toBeCloseTo(Math.sqrt(0.18 / 100 + (144 * 0.04) / 10_000), 15);
  });

  it('relative with CUPED: includes the covariance of the adjusted and the raw control mean', () => {
    const control: ArmEstimate = {
      n: 100,
      adjustedMean: 9.5,
      adjustedMeanVariance: 0.01,
      mean: 10,
      meanVariance: 0.04,
      covariance: 0.015,
    };
    const treatment: ArmEstimate = { ...control, adjustedMean: 10.5, adjustedMeanVariance: 0.012, mean: 11 };
    const effect = estimateEffect(control, treatment, 'relative');
    const difference = 1;
    const variance = (0.01 + 0.012) / 100 + (difference ** 2 * 0.04) / 1e4 + (2 * difference * 0.015) / 1000;
    expect(effect.estimate).toBeCloseTo(0.1, 15);
    expect(effect.standardError).toBeCloseTo(Math.sqrt(variance), 15);
  });

  it('uses Welch–Satterthwaite degrees of freedom', () => {
    expect(welchDegreesOfFreedom(0.5, 20, 0.5, 20)).toBeCloseTo(38, 12);
    // One arm without variance: the other arm's n − 1.
    expect(welchDegreesOfFreedom(0, 20, 0.3, 7)).toBe(6);
    // Scaled, so variances of means near the double minimum do not underflow to 0/0.
    expect(welchDegreesOfFreedom(1e-300, 20, 1e-300, 20)).toBeCloseTo(38, 12);
  });
});
