/**
 * @module The result of comparing one treatment with control, shared by every method.
 */

/** One treatment against control (`variants[0]`). Fields a method does not define are `null`. */
export interface Comparison {
  /** Index of the treatment in the request's `variants`. */
  variant: number;
  /** Δ: absolute difference of means, or relative difference (0.041 = +4.1 %). */
  estimate: number;
  standardError: number;
  /** Interval with coverage 1 − alpha: confidence (frequentist), credible (bayesian), or an always-valid confidence sequence (sequential). */
  ciLower: number;
  ciUpper: number;
  /** Two-sided p-value; `null` for bayesian. */
  pValue: number | null;
  /** P(treatment is better | data) under a flat prior; bayesian only. */
  chanceToWin: number | null;
  /** Expected shortfall, in units of the estimate, if the treatment is shipped and is in fact worse; bayesian only. */
  expectedLoss: number | null;
}

/** The parts of a comparison that a method computes (the caller adds `variant`). */
export type MethodResult = Omit<Comparison, 'variant'>;
