/**
 * Identities of the special functions; their values are checked against SciPy in
 * statistics-vectors.test.ts (vectors/statistics.json).
 */
import { describe, expect, it } from 'vitest';
import {
  logBeta,
  logGamma,
  regularizedBeta,
  regularizedGammaP,
  regularizedGammaQ,
} from './special-functions.js';

describe('special functions', () => {
  it('ln Γ hits exact values: Γ(½) = √π, Γ(1) = Γ(2) = 1, Γ(11) = 10!', () => {
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 14);
    expect(Math.abs(logGamma(1))).toBeLessThan(1e-15);
    expect(Math.abs(logGamma(2))).toBeLessThan(1e-15);
    expect(logGamma(11)).toBeCloseTo(Math.log(3628800), 13);
  });

  it('ln B is symmetric and agrees with ln Γ on both sides of the large-argument split', () => {
    for (const [a, b] of [
      [0.5, 3],
      [4, 9.5],
      [12, 0.5],
      [15, 40],
    ] as const) {
      expect(logBeta(a, b)).toBe(logBeta(b, a));
      expect(logBeta(a, b)).toBeCloseTo(logGamma(a) + logGamma(b) - logGamma(a + b), 12);
    }
  });

  it('I_x(a, b) runs from 0 to 1 and mirrors: I_x(a, b) + I_{1−x}(b, a) = 1', () => {
    expect(regularizedBeta(0, 2, 3)).toBe(0);
    expect(regularizedBeta(1, 2, 3)).toBe(1);
    for (const x of [0.05, 0.4, 0.9]) {
      expect(regularizedBeta(x, 2.5, 4) + regularizedBeta(1 - x, 4, 2.5)).toBeCloseTo(1, 15);
    }
    // I_x(1, 1) = x
    expect(regularizedBeta(0.3, 1, 1)).toBeCloseTo(0.3, 15);
  });

  it('P(a, x) + Q(a, x) = 1, with the edges 0 and ∞', () => {
    for (const [a, x] of [
      [0.5, 0.2],
      [3, 2],
      [3, 9],
      [30, 25],
    ] as const) {
      expect(regularizedGammaP(a, x) + regularizedGammaQ(a, x)).toBeCloseTo(1, 15);
    }
    expect(regularizedGammaQ(2, 0)).toBe(1);
    expect(regularizedGammaP(2, 0)).toBe(0);
    expect(regularizedGammaQ(2, Number.POSITIVE_INFINITY)).toBe(0);
    expect(regularizedGammaP(2, Number.POSITIVE_INFINITY)).toBe(1);
  });
});
