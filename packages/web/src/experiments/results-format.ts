/**
 * @module experiments/results-format
 * How numbers of a result are written for people: effects as signed percentages (relative) or
 * differences (absolute), p-values without false precision, verdict colours, and the shared axis
 * of a forest plot (always including zero, the "no effect" line).
 */
import type { Comparison, ResultsSettings, SeriesPoint, Verdict } from './results-types.js';

const DASH = '—';

export function formatEffect(value: number | null | undefined, effect: ResultsSettings['effect']): string {
  if (value === null || value === undefined) return DASH;
  const sign = value > 0 ? '+' : value < 0 ? '−' : '';
  const magnitude = Math.abs(value);
  if (effect === 'relative')
    return `${sign}${(magnitude * 100).toFixed(magnitude > 0 && magnitude < 0.001 ? 2 : 1)} %`;
  return `${sign}${formatNumber(magnitude)}`;
}

export function formatInterval(comparison: Comparison, effect: ResultsSettings['effect']): string {
  if (comparison.ciLower === null || comparison.ciUpper === null) return DASH;
  return `${formatEffect(comparison.ciLower, effect)} to ${formatEffect(comparison.ciUpper, effect)}`;
}

/** Three significant digits; small p-values as a bound. */
export function formatPValue(value: number | null | undefined): string {
  if (value === null || value === undefined) return DASH;
  if (value < 0.001) return '< 0.001';
  return value.toPrecision(2);
}

export function formatProbability(value: number | null | undefined): string {
  if (value === null || value === undefined) return DASH;
  if (value > 0.999) return '> 99.9 %';
  if (value < 0.001) return '< 0.1 %';
  return `${(value * 100).toFixed(1)} %`;
}

export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined) return DASH;
  if (value !== 0 && Math.abs(value) < 0.01) return value.toPrecision(2);
  return new Intl.NumberFormat('en', { maximumFractionDigits: Math.abs(value) < 10 ? 4 : 2 }).format(value);
}

export const VERDICT_COLOUR: Record<Verdict, string> = {
  // Darker than Mantine's green.9, whose white label on a small badge misses WCAG AA (4.36:1).
  win: '#1f6f33',
  loss: 'red.9',
  inconclusive: 'gray.7',
};
export const VERDICT_LABEL: Record<Verdict, string> = {
  win: 'Win',
  loss: 'Loss',
  inconclusive: 'Inconclusive',
};

/** A symmetric domain around zero that holds every interval (and the estimates), with a margin. */
export function forestDomain(comparisons: readonly Comparison[]): [number, number] {
  let extent = 0;
  for (const comparison of comparisons) {
    for (const value of [comparison.ciLower, comparison.ciUpper, comparison.estimate]) {
      if (value !== null && Number.isFinite(value)) extent = Math.max(extent, Math.abs(value));
    }
  }
  const padded = extent === 0 ? 0.01 : extent * 1.15;
  return [-padded, padded];
}

/**
 * The effect axis of the cumulative chart, and whether earlier days run off it.
 *
 * The first days' intervals are many times wider than the later ones (a handful of units), so an
 * axis spanning every band flattens the part a reader looks at: where the estimate settled. The
 * axis spans zero and the bands of the later two thirds of the days; when the earlier bands reach
 * more than twice that far, they are cut at the axis' edge (`clipped`) rather than widen it.
 * Ends are rounded out to a step of 1, 2 or 5 times a power of ten, for readable ticks.
 */
export function cumulativeDomain(series: readonly SeriesPoint[]): {
  domain: [number, number];
  ticks: number[];
  clipped: boolean;
} {
  const extent = (points: readonly SeriesPoint[]): [number, number] => {
    let low = 0;
    let high = 0;
    for (const point of points) {
      for (const comparison of point.comparisons) {
        for (const value of [comparison.ciLower, comparison.ciUpper, comparison.estimate]) {
          if (value === null || !Number.isFinite(value)) continue;
          low = Math.min(low, value);
          high = Math.max(high, value);
        }
      }
    }
    return [low, high];
  };
  const whole = extent(series);
  const settled = extent(series.slice(Math.floor(series.length / 3)));
  const clipped = whole[1] - whole[0] > 2 * (settled[1] - settled[0]);
  const [low, high] = clipped ? settled : whole;
  if (high === low) return { domain: [-0.01, 0.01], ticks: [-0.01, 0, 0.01], clipped: false };
  const rough = ((high - low) * 1.1) / 4;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 5, 10].find((factor) => factor * power >= rough) ?? 10) * power;
  const first = Math.floor(low / step);
  const last = Math.ceil(high / step);
  // Multiples of the step, rounded so that 3 × 0.1 reads 0.3 rather than 0.30000000000000004.
  const ticks = Array.from({ length: last - first + 1 }, (_, index) =>
    Number(((first + index) * step).toPrecision(12)),
  );
  return { domain: [ticks[0] ?? 0, ticks[ticks.length - 1] ?? 0], ticks, clipped };
}

/** Days from the first phase's start until its end (or now), whole days, at least 0. */
export function daysRunning(
  phases: readonly { startedAt: string; endedAt?: string | null }[],
  now: Date,
): number | undefined {
  const first = phases[0];
  if (!first) return undefined;
  const last = phases[phases.length - 1];
  const end = last?.endedAt ? new Date(last.endedAt) : now;
  return Math.max(0, Math.floor((end.getTime() - new Date(first.startedAt).getTime()) / 86_400_000));
}
