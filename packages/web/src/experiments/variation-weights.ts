/**
 * @module experiments/variation-weights
 * Variation weights as people type them (percentages) and as the API takes them (fractions that
 * add up to exactly 1).
 */

/** An equal split of 100 % over `count` variations, in hundredths, the remainder on the first. */
export function equalSplit(count: number): number[] {
  if (count <= 0) return [];
  const base = Math.floor(10_000 / count) / 100;
  const remainder = Math.round((100 - base * count) * 100) / 100;
  return Array.from({ length: count }, (_, index) =>
    index === 0 ? Math.round((base + remainder) * 100) / 100 : base,
  );
}

/** Fractions for the API, or the reason the percentages cannot be used. */
export function weightsFromPercentages(
  percentages: readonly number[],
): { ok: true; weights: number[] } | { ok: false; message: string } {
  if (percentages.some((value) => !Number.isFinite(value) || value < 0)) {
    return { ok: false, message: 'every weight must be a percentage of at least 0' };
  }
  const total = percentages.reduce((sum, value) => sum + value, 0);
  if (Math.abs(total - 100) > 0.005)
    return { ok: false, message: `weights add up to ${Math.round(total * 100) / 100} %, not 100 %` };
  const weights = percentages.map((value) => Math.round(value * 100) / 10_000);
  // The last takes what rounding left, so the sum is 1 to the last bit the server checks.
  const others = weights.slice(0, -1).reduce((sum, value) => sum + value, 0);
  weights[weights.length - 1] = 1 - others;
  return { ok: true, weights };
}
