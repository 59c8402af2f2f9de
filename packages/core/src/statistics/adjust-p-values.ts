/**
 * @module Multiple-comparison corrections across a family of p-values (all primary comparisons
 * of an experiment: every treatment × every primary metric).
 *
 * - `holm`: Holm's step-down method, controls the family-wise error rate (Holm 1979):
 *   p̃₍ᵢ₎ = max_{j ≤ i} min(1, (m − j + 1)·p₍ⱼ₎).
 * - `bh`: Benjamini–Hochberg step-up, controls the false discovery rate (Benjamini & Hochberg
 *   1995): p̃₍ᵢ₎ = min_{j ≥ i} min(1, m/j·p₍ⱼ₎).
 * - `none`: the p-values unchanged.
 * Same results as R's `p.adjust(p, "holm" | "BH")`; the output keeps the input's order.
 */

export type PValueAdjustment = 'none' | 'holm' | 'bh';

/**
 * Adjusts `pValues` (each in [0, 1]) for multiple comparisons.
 *
 * @example
 * adjustPValues([0.01, 0.04, 0.03], 'holm'); // [0.03, 0.06, 0.06]
 * adjustPValues([0.01, 0.04, 0.03], 'bh');   // [0.03, 0.04, 0.04]
 */
export function adjustPValues(pValues: readonly number[], method: PValueAdjustment): number[] {
  const m = pValues.length;
  if (method === 'none' || m === 0) return [...pValues];
  // Ascending order; ties keep input order so equal p-values get equal results either way.
  const order = pValues
    .map((_, index) => index)
    .sort((a, b) => (pValues[a] as number) - (pValues[b] as number));
  const adjusted = new Array<number>(m);
  if (method === 'holm') {
    let running = 0;
    order.forEach((index, rank) => {
      running = Math.max(running, Math.min(1, (m - rank) * (pValues[index] as number)));
      adjusted[index] = running;
    });
  } else {
    let running = 1;
    for (let rank = m - 1; rank >= 0; rank--) {
      const index = order[rank] as number;
      running = Math.min(running, (m / (rank + 1)) * (pValues[index] as number));
      adjusted[index] = running;
    }
  }
  return adjusted;
}
