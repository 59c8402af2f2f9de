/**
 * Properties of the distributions; their values are checked against SciPy in
 * statistics-vectors.test.ts (vectors/statistics.json).
 */
import { describe, expect, it } from 'vitest';
import {
  chiSquareSurvival,
  normalCdf,
  normalQuantile,
  normalSurvival,
  studentTCdf,
  studentTSurvival,
  studentTTwoSided,
  studentTUpperQuantile,
} from './distributions.js';

const relativeError = (actual: number, expected: number) => Math.abs(actual - expected) / Math.abs(expected);

describe('normal distribution', () => {
  it('inverts its cdf across the whole double range of tails', () => {
    for (const z of [-37, -25, -10, -5, -2, -0.5, -0.01]) {
      expect(relativeError(normalQuantile(normalCdf(z)), z)).toBeLessThan(1e-13);
      // Upper quantiles through the upper tail: Φ(z) itself would have rounded to 1.
      expect(relativeError(-normalQuantile(normalSurvival(-z)), -z)).toBeLessThan(1e-13);
    }
  });

  it('keeps far upper tails as tails: Φ(−z) and 1 − Φ(z) agree without cancellation', () => {
    expect(normalSurvival(10)).toBe(normalCdf(-10));
    expect(relativeError(normalSurvival(10), 7.619853024160527e-24)).toBeLessThan(1e-13);
  });

  it('answers the edges with infinities and NaN', () => {
    expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(normalQuantile(1)).toBe(Number.POSITIVE_INFINITY);
    expect(normalQuantile(1.5)).toBeNaN();
    expect(normalCdf(Number.NaN)).toBeNaN();
    expect(normalCdf(Number.POSITIVE_INFINITY)).toBe(1);
    expect(normalCdf(Number.NEGATIVE_INFINITY)).toBe(0);
  });
});

describe("Student's t distribution", () => {
  it('is symmetric and centred', () => {
    for (const df of [1, 2.5, 40]) {
      expect(studentTSurvival(0, df)).toBe(0.5);
      for (const t of [0.3, 2, 7]) expect(studentTCdf(t, df) + studentTCdf(-t, df)).toBeCloseTo(1, 15);
    }
  });

  it('inverts its tail for fractional degrees of freedom and tiny tails', () => {
    for (const df of [1, 1.3, 2, 3.7, 12, 250, 1e5]) {
      for (const tail of [1e-300, 1e-30, 1e-12, 1e-4, 0.025, 0.3, 0.5, 0.8]) {
        const t = studentTUpperQuantile(tail, df);
        expect(relativeError(studentTSurvival(t, df), tail)).toBeLessThan(1e-11);
      }
    }
  });

  it('has closed forms at 1 and 2 degrees of freedom (Cauchy and t₂)', () => {
    // Cauchy: atan(1/t)/π; t₂: ½(1 − t/√(2 + t²)) rearranged so that neither cancels.
    for (const t of [1e-6, 0.5, 3, 1e6, 1e200]) {
      expect(relativeError(studentTSurvival(t, 1), Math.atan(1 / t) / Math.PI)).toBeLessThan(1e-13);
    }
    for (const t of [1e-6, 0.5, 3, 1e6]) {
      const root = Math.sqrt(2 + t * t);
      expect(relativeError(studentTSurvival(t, 2), 1 / (root * (root + t)))).toBeLessThan(1e-13);
    }
    expect(relativeError(studentTUpperQuantile(0.025, 1), Math.tan(Math.PI * 0.475))).toBeLessThan(1e-13);
  });

  it('gives a two-sided p-value of at most 1, from either sign', () => {
    expect(studentTTwoSided(0, 5)).toBe(1);
    expect(studentTTwoSided(-2.5, 5)).toBe(studentTTwoSided(2.5, 5));
    expect(studentTTwoSided(2.5, 5)).toBe(2 * studentTSurvival(2.5, 5));
  });

  it('answers impossible arguments with NaN', () => {
    expect(studentTSurvival(1, 0)).toBeNaN();
    expect(studentTUpperQuantile(0, 5)).toBeNaN();
    expect(studentTUpperQuantile(0.05, -1)).toBeNaN();
  });
});

describe('chi-square distribution', () => {
  it('matches closed forms at 2 degrees of freedom (exponential) and the tail stays relative', () => {
    for (const x of [0.1, 3, 100, 1400]) {
      expect(relativeError(chiSquareSurvival(x, 2), Math.exp(-x / 2))).toBeLessThan(1e-13);
    }
  });

  it('is 1 at 0 and NaN for impossible degrees of freedom', () => {
    expect(chiSquareSurvival(0, 3)).toBe(1);
    expect(chiSquareSurvival(1, 0)).toBeNaN();
  });
});
