/**
 * @module One sentence a product manager can read for one comparison, e.g.
 * "Treatment raises purchase by 4.1 % (95 % CI 1.2 % to 7.0 %)".
 *
 * The wording follows the verdict: a significant change names its direction ("raises",
 * "lowers") and, when lower is better or the change hurts, whether it is an improvement or a
 * regression; an inconclusive one says so and gives the signed estimate. Relative effects read
 * as percentages, absolute effects on proportions as percentage points, other absolute effects
 * in the metric's own unit.
 */
import type { Comparison } from './comparison.js';
import type { Effect, MetricKind } from './schemas.js';
import { comparisonVerdict, type VerdictSettings } from './verdict.js';

export interface DescribeComparisonOptions extends VerdictSettings {
  metric: MetricKind;
  effect: Effect;
  /** How the metric is called in the product, e.g. "purchase". */
  metricName: string;
  /** How the treatment is called, e.g. "Treatment" or "Blue button". */
  variantName: string;
}

const MINUS = '\u2212';
const POINTS = ' percentage points';
const absoluteFormat = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 3 });

/**
 * @example
 * describeComparison(
 *   { variant: 1, estimate: 0.041, standardError: 0.0148, ciLower: 0.012, ciUpper: 0.07, pValue: 0.0056,
 *     chanceToWin: null, expectedLoss: null },
 *   { method: 'frequentist', alpha: 0.05, metric: 'proportion', effect: 'relative', metricName: 'purchase',
 *     variantName: 'Treatment' },
 * ); // "Treatment raises purchase by 4.1 % (95 % CI 1.2 % to 7.0 %)"
 */
export function describeComparison(comparison: Comparison, options: DescribeComparisonOptions): string {
  const { metricName, variantName, method } = options;
  const verdict = comparisonVerdict(comparison, options);
  const level = `${formatLevel(1 - options.alpha)} %`;
  const intervalName = method === 'bayesian' ? 'credible interval' : 'CI';
  const format = (value: number) => formatEffect(value, options);
  // Percentage points are long: name the unit once, after the interval's upper bound.
  const points = options.effect === 'absolute' && options.metric === 'proportion';
  const interval = (low: string, high: string) =>
    points ? `${low.replace(POINTS, '')} to ${high}` : `${low} to ${high}`;
  const chance =
    method === 'bayesian' && comparison.chanceToWin !== null
      ? `; ${formatChance(comparison.chanceToWin)} % chance to win`
      : '';
  if (verdict === 'inconclusive') {
    const signed = (value: number) => (value > 0 ? `+${format(value)}` : format(value));
    return (
      `No clear effect of ${variantName} on ${metricName} yet: ${signed(comparison.estimate)} ` +
      `(${level} ${intervalName} ${interval(signed(comparison.ciLower), signed(comparison.ciUpper))}${chance})`
    );
  }
  const raises = comparison.estimate > 0;
  // Magnitudes of the change: a decrease's interval reads from the smaller drop to the larger.
  const [low, high] = raises
    ? [comparison.ciLower, comparison.ciUpper]
    : [-comparison.ciUpper, -comparison.ciLower];
  const lowerIsBetter = options.direction === 'decrease';
  const suffix =
    verdict === 'loss'
      ? `, a regression${lowerIsBetter ? ' (lower is better)' : ''}`
      : lowerIsBetter
        ? ', an improvement (lower is better)'
        : '';
  return (
    `${variantName} ${raises ? 'raises' : 'lowers'} ${metricName} by ${format(Math.abs(comparison.estimate))} ` +
    `(${level} ${intervalName} ${interval(format(low), format(high))}${chance})${suffix}`
  );
}

function formatEffect(value: number, options: Pick<DescribeComparisonOptions, 'metric' | 'effect'>): string {
  if (options.effect === 'relative') return `${formatPercent(value * 100)} %`;
  if (options.metric === 'proportion') return `${formatPercent(value * 100)}${POINTS}`;
  return withMinus(absoluteFormat.format(value));
}

/** One decimal, as in "4.1 %"; two significant digits when that would print a non-zero effect as 0.0. */
function formatPercent(value: number): string {
  const fixed = value.toFixed(1);
  if (value !== 0 && Number(fixed) === 0) return withMinus(String(Number(value.toPrecision(2))));
  return withMinus(fixed);
}

/** 0.95 → "95", 0.999 → "99.9": percentages without trailing zeros. */
function formatLevel(probability: number): string {
  return String(Number((probability * 100).toFixed(1)));
}

/** A chance as a percentage that never rounds to a certainty: 0.99996 → "> 99.9". */
function formatChance(probability: number): string {
  if (probability > 0.999) return '> 99.9';
  if (probability < 0.001) return '< 0.1';
  return formatLevel(probability);
}

function withMinus(text: string): string {
  return text.startsWith('-') ? `${MINUS}${text.slice(1)}` : text;
}
