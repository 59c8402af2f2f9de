import { describe, expect, it } from 'vitest';
import type { ValidationIssue } from '../model/validation-result.js';
import { summarizeArm } from './arm-summary.js';

describe('summarizeArm', () => {
  it('ratio: m = Σnum/Σden and v from the linearized per-unit values num − m·den (delta method)', () => {
    const units = [
      [3, 2],
      [0, 1],
      [5, 4],
      [2, 2],
      [7, 3],
    ] as const;
    let sum = 0;
    let sumSquares = 0;
    let denominatorSum = 0;
    let denominatorSquares = 0;
    let sumProduct = 0;
    for (const [numerator, denominator] of units) {
      sum += numerator;
      sumSquares += numerator * numerator;
      denominatorSum += denominator;
      denominatorSquares += denominator * denominator;
      sumProduct += numerator * denominator;
    }
    const issues: ValidationIssue[] = [];
    const summary = summarizeArm(
      'ratio',
      {
        n: 5,
        sum,
        sumSquares,
        denominator: { sum: denominatorSum, sumSquares: denominatorSquares, sumProduct },
      },
      0,
      issues,
    );
    const ratio = 17 / 12;
    const linearized = units.map(([numerator, denominator]) => numerator - ratio * denominator);
    const linearizedMean = linearized.reduce((total, value) => total + value, 0) / 5;
    const linearizedVariance =
      linearized.reduce((total, value) => total + (value - linearizedMean) ** 2, 0) / 4;
    const meanVariance = linearizedVariance / (5 * (12 / 5) ** 2);
    expect(issues).toEqual([]);
    expect(summary?.mean).toBeCloseTo(ratio, 15);
    expect(summary?.meanVariance).toBeCloseTo(meanVariance, 14);
    expect(summary?.variance).toBeCloseTo(5 * meanVariance, 14);
  });

  it('mean: the sample variance with n − 1', () => {
    const issues: ValidationIssue[] = [];
    // Units 1, 2, 3, 6: mean 3, squared deviations 4 + 1 + 0 + 9 = 14.
    const summary = summarizeArm('mean', { n: 4, sum: 12, sumSquares: 50 }, 0, issues);
    expect(summary).toEqual({ n: 4, mean: 3, variance: 14 / 3, meanVariance: 14 / 12 });
  });
});
