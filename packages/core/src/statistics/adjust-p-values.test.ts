import { describe, expect, it } from 'vitest';
import { adjustPValues } from './adjust-p-values.js';
import { AdjustRequestSchema } from './schemas.js';

// Expected values from R 4.x: p.adjust(c(0.01, 0.04, 0.03, 0.005), "holm" / "BH").
const FAMILY = [0.01, 0.04, 0.03, 0.005];

describe('adjustPValues', () => {
  it('applies Holm step-down, keeping the input order', () => {
    const adjusted = adjustPValues(FAMILY, 'holm');
    [0.03, 0.06, 0.06, 0.02].forEach((expected, index) => {
      expect(adjusted[index]).toBeCloseTo(expected, 15);
    });
  });

  it('applies Benjamini–Hochberg step-up, keeping the input order', () => {
    const adjusted = adjustPValues(FAMILY, 'bh');
    [0.02, 0.04, 0.04, 0.02].forEach((expected, index) => {
      expect(adjusted[index]).toBeCloseTo(expected, 15);
    });
  });

  it('caps adjusted values at 1', () => {
    expect(adjustPValues([0.6, 0.7], 'holm')).toEqual([1, 1]);
  });

  it('returns a copy for none and handles an empty family', () => {
    const input = [0.2, 0.01];
    const output = adjustPValues(input, 'none');
    expect(output).toEqual(input);
    expect(output).not.toBe(input);
    expect(adjustPValues([], 'bh')).toEqual([]);
  });

  it('never lowers a p-value and keeps the ranking', () => {
    const input = [0.001, 0.2, 0.04, 0.03, 0.5, 0.011];
    for (const method of ['holm', 'bh'] as const) {
      const adjusted = adjustPValues(input, method);
      input.forEach((p, index) => {
        expect(adjusted[index]).toBeGreaterThanOrEqual(p);
      });
      const byInput = [...input.keys()].sort((a, b) => (input[a] as number) - (input[b] as number));
      const ranks = byInput.map((index) => adjusted[index] as number);
      expect([...ranks].sort((a, b) => a - b)).toEqual(ranks);
    }
  });

  it('has a schema that rejects p-values outside [0, 1] and unknown methods', () => {
    expect(AdjustRequestSchema.safeParse({ pValues: [1.2], method: 'holm' }).success).toBe(false);
    expect(AdjustRequestSchema.safeParse({ pValues: [0.1], method: 'bonferroni' }).success).toBe(false);
    expect(AdjustRequestSchema.safeParse({ pValues: [0.1], method: 'bh' }).success).toBe(true);
  });
});
