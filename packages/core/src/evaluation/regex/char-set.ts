/**
 * @module Sets of UTF-16 code units for the regex engine: the predefined classes (`\d`, `\w`,
 * `\s`, `.`), bracket classes built from ranges, and a membership test that is a bit lookup for
 * ASCII (nearly every input character) and a short range scan above it.
 *
 * Matching works on code units, as JavaScript's `RegExp` does without the `u` flag, so a character
 * outside the Basic Multilingual Plane is two units and `.` matches each half.
 */

/** Inclusive code-unit ranges, sorted, non-overlapping and non-adjacent: `[lo0, hi0, lo1, hi1, …]`. */
export type Ranges = readonly number[];

const MAX_UNIT = 0xffff;

/** Sorts and merges arbitrary ranges into canonical form. */
export function normalizeRanges(ranges: readonly number[]): number[] {
  const pairs: [number, number][] = [];
  for (let i = 0; i < ranges.length; i += 2) pairs.push([ranges[i] as number, ranges[i + 1] as number]);
  pairs.sort((a, b) => a[0] - b[0]);
  const merged: number[] = [];
  for (const [lo, hi] of pairs) {
    const last = merged.length - 1;
    if (merged.length > 0 && lo <= (merged[last] as number) + 1) {
      merged[last] = Math.max(merged[last] as number, hi);
    } else {
      merged.push(lo, hi);
    }
  }
  return merged;
}

/** The code units not in `ranges` (which must be canonical). */
export function complementRanges(ranges: Ranges): number[] {
  const result: number[] = [];
  let next = 0;
  for (let i = 0; i < ranges.length; i += 2) {
    const lo = ranges[i] as number;
    if (lo > next) result.push(next, lo - 1);
    next = (ranges[i + 1] as number) + 1;
  }
  if (next <= MAX_UNIT) result.push(next, MAX_UNIT);
  return result;
}

export const DIGIT: Ranges = [0x30, 0x39];
export const WORD: Ranges = [0x30, 0x39, 0x41, 0x5a, 0x5f, 0x5f, 0x61, 0x7a];
/** JavaScript's `\s`: WhiteSpace and LineTerminator of ECMA-262, not just ASCII. */
export const SPACE: Ranges = normalizeRanges([
  0x09, 0x0d, 0x20, 0x20, 0xa0, 0xa0, 0x1680, 0x1680, 0x2000, 0x200a, 0x2028, 0x2029, 0x202f, 0x202f, 0x205f,
  0x205f, 0x3000, 0x3000, 0xfeff, 0xfeff,
]);
/** `.`: every unit except the line terminators (no `s` flag). */
export const DOT: Ranges = complementRanges(normalizeRanges([0x0a, 0x0a, 0x0d, 0x0d, 0x2028, 0x2029]));

/** Whether `unit` is a `\w` character, for `\b` and `\B`. */
export function isWordUnit(unit: number): boolean {
  return (
    (unit >= 0x61 && unit <= 0x7a) ||
    (unit >= 0x41 && unit <= 0x5a) ||
    (unit >= 0x30 && unit <= 0x39) ||
    unit === 0x5f
  );
}

/** A compiled set: a 128-bit ASCII bitmap, and the ranges above ASCII. */
export class CharSet {
  private readonly ascii = new Uint32Array(4);
  private readonly high: Int32Array;

  constructor(ranges: Ranges) {
    const high: number[] = [];
    for (let i = 0; i < ranges.length; i += 2) {
      const lo = ranges[i] as number;
      const hi = ranges[i + 1] as number;
      for (let unit = lo; unit <= Math.min(hi, 0x7f); unit++) {
        this.ascii[unit >>> 5] = (this.ascii[unit >>> 5] as number) | (1 << (unit & 31));
      }
      if (hi >= 0x80) high.push(Math.max(lo, 0x80), hi);
    }
    this.high = Int32Array.from(high);
  }

  has(unit: number): boolean {
    if (unit < 0x80) return ((this.ascii[unit >>> 5] as number) & (1 << (unit & 31))) !== 0;
    const high = this.high;
    for (let i = 0; i < high.length; i += 2) {
      if (unit < (high[i] as number)) return false;
      if (unit <= (high[i + 1] as number)) return true;
    }
    return false;
  }
}
