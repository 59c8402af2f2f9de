import { describe, expect, it } from 'vitest';
import { CHI_SQUARE_CRITICAL_P001, goodnessOfFit, independence } from '../test-support/chi-square.js';
import { utf8Bytes } from './encode-utf8.js';
import { bucketOf, createHashSalt, hashBucket, hashUnit } from './hash-bucket.js';
import { coverageSalt, rolloutSalt, variationSalt } from './hash-salts.js';
import { murmur3X86_32 } from './murmur3.js';
import { chooseVariation, variationRanges } from './variation-ranges.js';

const UNITS = 100_000;
const unitId = (i: number) => `user-${i}`;

function countVariations(salt: string, weights: number[]): number[] {
  const compiled = createHashSalt(salt);
  const ends = variationRanges(weights);
  const counts = weights.map(() => 0);
  for (let i = 0; i < UNITS; i++) {
    const index = chooseVariation(bucketOf(compiled, unitId(i)), ends);
    counts[index] = (counts[index] ?? 0) + 1;
  }
  return counts;
}

describe('hashUnit', () => {
  it('hashes the UTF-8 bytes of "salt:unitId" with seed 0', () => {
    for (const [salt, unit] of [
      ['exp', 'user-1'],
      ['zürich', '東京'],
      ['', ''],
    ] as const) {
      expect(hashUnit(createHashSalt(salt), unit)).toBe(murmur3X86_32(utf8Bytes(`${salt}:${unit}`)));
    }
  });

  it("continues from the salt's precomputed state whatever the prefix leaves over, ASCII or not", () => {
    // Salts of 4n+0 … 4n+3 bytes with ":" leave 0–3 bytes over; unit ids of every length mod 4,
    // and non-ASCII characters at the start, middle and end (those take the encoding path).
    const units = ['', 'a', 'ab', 'abc', 'user-42', 'é', 'aé', 'user-é-42', 'user-42-東京', '😀x'];
    for (const salt of ['', 'a', 'ab', 'abc', 'abcd', 'exp-checkout', 'zürich']) {
      for (const unit of units) {
        expect(hashUnit(createHashSalt(salt), unit)).toBe(murmur3X86_32(utf8Bytes(`${salt}:${unit}`)));
      }
    }
  });

  it('handles unit ids longer than the scratch buffer', () => {
    const long = 'x'.repeat(10_000);
    expect(hashUnit(createHashSalt('exp'), long)).toBe(murmur3X86_32(utf8Bytes(`exp:${long}`)));
  });
});

describe('bucketOf', () => {
  it('maps to [0, 1) as hash / 2^32', () => {
    const salt = createHashSalt('exp');
    for (let i = 0; i < 1000; i++) {
      const bucket = bucketOf(salt, unitId(i));
      expect(bucket).toBeGreaterThanOrEqual(0);
      expect(bucket).toBeLessThan(1);
      expect(bucket).toBe(hashUnit(salt, unitId(i)) / 2 ** 32);
    }
    expect(hashBucket('exp', 'user-7')).toBe(bucketOf(salt, 'user-7'));
  });

  // Chi-square goodness of fit over 100,000 units, p = 0.001 (df = variations − 1).
  it.each([
    ['2 variations', [0.3, 0.7]],
    ['3 variations', [0.2, 0.3, 0.5]],
    ['10 variations', [0.05, 0.05, 0.05, 0.1, 0.1, 0.1, 0.1, 0.15, 0.15, 0.15]],
  ])('distributes units uniformly over %s with unequal weights', (_name, weights) => {
    const counts = countVariations(variationSalt('uniformity-test'), weights);
    const statistic = goodnessOfFit(counts, weights, UNITS);
    expect(statistic).toBeLessThan(CHI_SQUARE_CRITICAL_P001[weights.length - 1] ?? 0);
  });

  it('assigns independently across experiments (chi-square test of independence)', () => {
    const first = createHashSalt(variationSalt('experiment-a'));
    const second = createHashSalt(variationSalt('experiment-b'));
    const firstEnds = variationRanges([0.2, 0.3, 0.5]);
    const secondEnds = variationRanges([0.25, 0.25, 0.25, 0.25]);
    const table = [0, 1, 2].map(() => [0, 0, 0, 0]);
    for (let i = 0; i < UNITS; i++) {
      const row = table[chooseVariation(bucketOf(first, unitId(i)), firstEnds)];
      const column = chooseVariation(bucketOf(second, unitId(i)), secondEnds);
      if (row !== undefined) row[column] = (row[column] ?? 0) + 1;
    }
    // (3 − 1) × (4 − 1) = 6 degrees of freedom.
    expect(independence(table)).toBeLessThan(CHI_SQUARE_CRITICAL_P001[6] ?? 0);
  });

  it('keeps coverage and variation buckets of one experiment independent', () => {
    const variation = createHashSalt(variationSalt('exp'));
    const coverage = createHashSalt(coverageSalt('exp'));
    const ends = variationRanges([0.5, 0.5]);
    const table = [
      [0, 0],
      [0, 0],
    ];
    for (let i = 0; i < UNITS; i++) {
      const row = table[bucketOf(coverage, unitId(i)) < 0.5 ? 0 : 1];
      const column = chooseVariation(bucketOf(variation, unitId(i)), ends);
      if (row !== undefined) row[column] = (row[column] ?? 0) + 1;
    }
    expect(independence(table)).toBeLessThan(CHI_SQUARE_CRITICAL_P001[1] ?? 0);
  });

  it('ramps up by only adding units: the set at 20% is inside the set at 50%', () => {
    const salt = createHashSalt(rolloutSalt('flag/rule'));
    const at = (fraction: number) => {
      const units = new Set<string>();
      for (let i = 0; i < 20_000; i++) if (bucketOf(salt, unitId(i)) < fraction) units.add(unitId(i));
      return units;
    };
    const twenty = at(0.2);
    const fifty = at(0.5);
    expect(twenty.size).toBeGreaterThan(3_500);
    expect(fifty.size).toBeGreaterThan(twenty.size);
    for (const unit of twenty) expect(fifty.has(unit)).toBe(true);
  });
});
