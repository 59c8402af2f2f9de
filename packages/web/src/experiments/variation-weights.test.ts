import { describe, expect, it } from 'vitest';
import { equalSplit, weightsFromPercentages } from './variation-weights.js';

describe('variation weights', () => {
  it('splits 100 % evenly, the rounding remainder on the first', () => {
    expect(equalSplit(2)).toEqual([50, 50]);
    expect(equalSplit(3)).toEqual([33.34, 33.33, 33.33]);
    expect(equalSplit(0)).toEqual([]);
  });

  it('turns percentages into fractions that add up to 1, and refuses sums other than 100 %', () => {
    const result = weightsFromPercentages([33.34, 33.33, 33.33]);
    expect(result.ok).toBe(true);
    if (result.ok)
      expect(Math.abs(result.weights.reduce((sum, value) => sum + value, 0) - 1)).toBeLessThan(1e-12);
    expect(weightsFromPercentages([50, 40])).toEqual({
      ok: false,
      message: 'weights add up to 90 %, not 100 %',
    });
    expect(weightsFromPercentages([120, -20])).toMatchObject({ ok: false });
  });
});
