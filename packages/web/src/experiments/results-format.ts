/**
 * @module experiments/results-format
 * How numbers of a result are written for people: effects as signed percentages (relative) or
 * differences (absolute), p-values without false precision, verdict colours, and the shared axis
 * of a forest plot (always including zero, the "no effect" line).
 */
import type { Comparison, ResultsSettings, Verdict } from './results-types.js';

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
