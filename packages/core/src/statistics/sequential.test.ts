import { describe, expect, it } from 'vitest';
import { normalQuantile } from './distributions.js';
import { mixingVariance, sequentialComparison } from './sequential.js';

/** Half-width relative to the fixed-horizon normal interval at the same N and unit spread. */
function widthRatio(totalUnits: number, tuning: number): number {
  const standardError = 1 / Math.sqrt(totalUnits);
  const result = sequentialComparison(
    { estimate: 0, standardError, degreesOfFreedom: 1e6 },
    0.05,
    totalUnits,
    tuning,
  );
  return (result.ciUpper - result.ciLower) / 2 / (-normalQuantile(0.025) * standardError);
}

describe('sequentialComparison', () => {
  it('is wider than the fixed-horizon interval: the price of looking at any time', () => {
    for (const n of [100, 5000, 1e6]) expect(widthRatio(n, 5000)).toBeGreaterThan(1);
  });

  it('is tightest, relative to the fixed-horizon interval, near the tuning size N*', () => {
    const atTuning = widthRatio(5000, 5000);
    expect(atTuning).toBeLessThan(widthRatio(1000, 5000));
    expect(atTuning).toBeLessThan(widthRatio(25_000, 5000));
  });

  it('gives p = 1 without an effect and smaller p-values for larger effects', () => {
    const at = (estimate: number) =>
      sequentialComparison({ estimate, standardError: 0.1, degreesOfFreedom: 100 }, 0.05, 4000, 5000)
        .pValue ?? -1;
    expect(at(0)).toBe(1);
    expect(at(0.5)).toBeLessThan(at(0.4));
    expect(at(-0.5)).toBe(at(0.5));
  });

  it('rejects exactly when the interval excludes zero', () => {
    for (const estimate of [0.1, 0.3, 0.35, 0.4, 0.6]) {
      const result = sequentialComparison(
        { estimate, standardError: 0.1, degreesOfFreedom: 100 },
        0.05,
        4000,
        5000,
      );
      expect((result.pValue ?? 1) < 0.05).toBe(result.ciLower > 0);
    }
  });

  it('derives ρ² from alpha and N*', () => {
    const logTerm = -2 * Math.log(0.05);
    expect(mixingVariance(0.05, 5000)).toBeCloseTo((logTerm + Math.log(logTerm + 1)) / 5000, 18);
  });
});
