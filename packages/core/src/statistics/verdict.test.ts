import { describe, expect, it } from 'vitest';
import { comparisonVerdict } from './verdict.js';

const significantRise = { estimate: 0.04, pValue: 0.01, chanceToWin: null };

describe('comparisonVerdict', () => {
  it.each(['frequentist', 'sequential'] as const)(
    '%s: a significant change in the better direction wins',
    (method) => {
      expect(comparisonVerdict(significantRise, { method, alpha: 0.05 })).toBe('win');
      expect(comparisonVerdict({ ...significantRise, estimate: -0.04 }, { method, alpha: 0.05 })).toBe(
        'loss',
      );
    },
  );

  it('swaps win and loss when lower is better', () => {
    expect(
      comparisonVerdict(significantRise, { method: 'frequentist', alpha: 0.05, direction: 'decrease' }),
    ).toBe('loss');
    expect(
      comparisonVerdict(
        { ...significantRise, estimate: -0.04 },
        { method: 'frequentist', alpha: 0.05, direction: 'decrease' },
      ),
    ).toBe('win');
  });

  it('is inconclusive at p = alpha and above', () => {
    expect(
      comparisonVerdict({ ...significantRise, pValue: 0.05 }, { method: 'frequentist', alpha: 0.05 }),
    ).toBe('inconclusive');
  });

  it('judges the adjusted p-value when one is given', () => {
    expect(
      comparisonVerdict(significantRise, { method: 'frequentist', alpha: 0.05, adjustedPValue: 0.07 }),
    ).toBe('inconclusive');
  });

  it('bayesian: wins above 1 − alpha/2 chance to win, loses below alpha/2', () => {
    const settings = { method: 'bayesian', alpha: 0.05 } as const;
    const at = (chanceToWin: number) =>
      comparisonVerdict({ estimate: 0.01, pValue: null, chanceToWin }, settings);
    expect(at(0.976)).toBe('win');
    expect(at(0.975)).toBe('inconclusive');
    expect(at(0.5)).toBe('inconclusive');
    expect(at(0.025)).toBe('inconclusive');
    expect(at(0.024)).toBe('loss');
  });
});
