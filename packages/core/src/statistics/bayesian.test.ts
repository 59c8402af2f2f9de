import { describe, expect, it } from 'vitest';
import { bayesianComparison, normalLinearLoss } from './bayesian.js';
import { normalCdf, normalPdf } from './distributions.js';

describe('normalLinearLoss', () => {
  it('satisfies L(z) − L(−z) = −z on both sides of the continued-fraction switch', () => {
    for (const z of [0.5, 2.99, 3, 3.01, 6, 12]) {
      expect(normalLinearLoss(z) - normalLinearLoss(-z)).toBeCloseTo(-z, 12);
    }
  });

  it('is continuous where it switches to the continued fraction', () => {
    const below = normalPdf(3) - 3 * normalCdf(-3);
    expect(Math.abs(normalLinearLoss(3) - below) / below).toBeLessThan(1e-12);
  });

  it('stays positive and decreasing far out, where the direct form cancels to noise', () => {
    let previous = Number.POSITIVE_INFINITY;
    for (const z of [5, 10, 20, 30, 37]) {
      const value = normalLinearLoss(z);
      expect(value).toBeGreaterThan(0);
      expect(value).toBeLessThan(previous);
      // Asymptotically φ(z)/z², within a few percent this far out.
      expect(value / (normalPdf(z) / (z * z))).toBeGreaterThan(0.85);
      previous = value;
    }
  });
});

describe('bayesianComparison', () => {
  const effect = { estimate: 0.02, standardError: 0.01, degreesOfFreedom: 500 };

  it('gives Φ(Δ/se) chance to win and E[max(0, −Δ)] expected loss', () => {
    const result = bayesianComparison(effect, 0.05, 'increase');
    expect(result.chanceToWin).toBeCloseTo(normalCdf(2), 15);
    expect(result.expectedLoss).toBeCloseTo(0.01 * (normalPdf(2) - 2 * normalCdf(-2)), 15);
    expect(result.pValue).toBeNull();
  });

  it('mirrors chance and loss when lower is better', () => {
    const result = bayesianComparison(effect, 0.05, 'decrease');
    expect(result.chanceToWin).toBeCloseTo(normalCdf(-2), 15);
    expect(result.expectedLoss).toBeCloseTo(0.01 * (normalPdf(2) + 2 * normalCdf(2)), 15);
  });

  it('gives a normal credible interval of Δ ± z(1 − α/2)·se', () => {
    const result = bayesianComparison(effect, 0.1, 'increase');
    expect(result.ciUpper - 0.02).toBeCloseTo(1.6448536269514722 * 0.01, 14);
    expect(0.02 - result.ciLower).toBeCloseTo(1.6448536269514722 * 0.01, 14);
  });
});
