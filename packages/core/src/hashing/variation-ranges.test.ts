import { describe, expect, it } from 'vitest';
import { chooseVariation, variationRanges } from './variation-ranges.js';

describe('variationRanges', () => {
  it('accumulates weights and ends exactly at 1 despite float rounding', () => {
    const ends = variationRanges(Array.from({ length: 10 }, () => 0.1));
    expect(ends[9]).toBe(1);
    expect(ends[0]).toBe(0.1);
  });
});

describe('chooseVariation', () => {
  const ends = variationRanges([0.2, 0.3, 0.5]);

  it('picks the range holding the bucket; range starts are inclusive and ends exclusive', () => {
    expect(chooseVariation(0, ends)).toBe(0);
    expect(chooseVariation(0.19999, ends)).toBe(0);
    expect(chooseVariation(0.2, ends)).toBe(1);
    expect(chooseVariation(0.5, ends)).toBe(2);
    expect(chooseVariation(0.9999999999, ends)).toBe(2);
  });

  it('never picks a zero-weight variation', () => {
    const withEmpty = variationRanges([0.5, 0, 0.5]);
    for (let bucket = 0; bucket < 1; bucket += 0.001) expect(chooseVariation(bucket, withEmpty)).not.toBe(1);
  });

  it('returns -1 for buckets outside [0, 1)', () => {
    expect(chooseVariation(-0.1, ends)).toBe(-1);
    expect(chooseVariation(1, ends)).toBe(-1);
    expect(chooseVariation(Number.NaN, ends)).toBe(-1);
  });
});
