/**
 * @module Variation ranges: weights → contiguous slices of [0, 1).
 *
 * Variation i owns [end(i-1), end(i)) where end is the running sum of weights. The last end is
 * pinned to exactly 1 so that float rounding in the running sum (0.1 × 10 = 0.9999999999999999)
 * cannot leave a sliver of buckets with no variation.
 */

/** Cumulative range ends for weights that sum to 1 (the caller validates the sum). */
export function variationRanges(weights: readonly number[]): Float64Array {
  const ends = new Float64Array(weights.length);
  let sum = 0;
  for (let i = 0; i < weights.length; i++) {
    sum += weights[i] ?? 0;
    ends[i] = sum;
  }
  if (ends.length > 0) ends[ends.length - 1] = 1;
  return ends;
}

/**
 * The index of the variation whose range holds `bucket`, or -1 if none does (only possible
 * for a bucket outside [0, 1)). A zero-weight variation owns an empty range and is never chosen.
 *
 * @example
 * chooseVariation(0.42, variationRanges([0.5, 0.5])); // 0
 */
export function chooseVariation(bucket: number, ends: Float64Array): number {
  if (!(bucket >= 0)) return -1;
  for (let i = 0; i < ends.length; i++) {
    if (bucket < (ends[i] ?? 0)) return i;
  }
  return -1;
}
