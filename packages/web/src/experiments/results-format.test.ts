import { describe, expect, it } from 'vitest';
import {
  cumulativeDomain,
  daysRunning,
  forestDomain,
  formatEffect,
  formatInterval,
  formatProbability,
  formatPValue,
} from './results-format.js';
import type { Comparison, SeriesPoint } from './results-types.js';

const comparison = (ciLower: number | null, estimate: number | null, ciUpper: number | null): Comparison => ({
  variant: 'treatment',
  estimate,
  standardError: null,
  ciLower,
  ciUpper,
  pValue: null,
  chanceToWin: null,
  expectedLoss: null,
  verdict: 'inconclusive',
});

describe('writing results for people', () => {
  it('signs effects and writes relative ones as percentages', () => {
    expect(formatEffect(0.041, 'relative')).toBe('+4.1 %');
    expect(formatEffect(-0.0123, 'relative')).toBe('−1.2 %');
    expect(formatEffect(0, 'relative')).toBe('0.0 %');
    expect(formatEffect(1.5, 'absolute')).toBe('+1.5');
    expect(formatEffect(null, 'absolute')).toBe('—');
    expect(formatInterval(comparison(0.012, 0.041, 0.07), 'relative')).toBe('+1.2 % to +7.0 %');
    expect(formatInterval(comparison(null, null, null), 'relative')).toBe('—');
  });

  it('writes p-values and probabilities without false precision', () => {
    expect(formatPValue(0.0004)).toBe('< 0.001');
    expect(formatPValue(0.0456)).toBe('0.046');
    expect(formatPValue(null)).toBe('—');
    expect(formatProbability(0.9995)).toBe('> 99.9 %');
    expect(formatProbability(0.873)).toBe('87.3 %');
  });

  it('puts zero in the middle of a forest plot that holds every interval', () => {
    const [low, high] = forestDomain([comparison(0.01, 0.04, 0.07), comparison(-0.02, 0, 0.02)]);
    expect(low).toBeCloseTo(-0.0805);
    expect(high).toBeCloseTo(0.0805);
    expect(forestDomain([comparison(null, null, null)])).toEqual([-0.01, 0.01]);
  });

  it('counts whole days from the start to the end or now', () => {
    const now = new Date('2026-11-29T12:00:00Z');
    expect(daysRunning([{ startedAt: '2026-11-15T13:00:00Z' }], now)).toBe(13);
    expect(daysRunning([{ startedAt: '2026-11-01T00:00:00Z', endedAt: '2026-11-08T00:00:00Z' }], now)).toBe(
      7,
    );
    expect(daysRunning([], now)).toBeUndefined();
  });

  it("scales the cumulative chart to the later days, cutting the first days' wide bands", () => {
    const day = (date: string, ciLower: number, estimate: number, ciUpper: number): SeriesPoint =>
      ({ date, comparisons: [comparison(ciLower, estimate, ciUpper)] }) as SeriesPoint;
    const settling = [
      day('2026-11-16', -3, 2.6, 9),
      day('2026-11-17', -0.5, 0.6, 1.7),
      day('2026-11-18', -0.1, 0.3, 0.6),
      day('2026-11-19', 0.05, 0.25, 0.45),
      day('2026-11-20', 0.08, 0.26, 0.45),
      day('2026-11-21', 0.08, 0.26, 0.44),
    ];
    // Later two thirds span [-0.1, 0.6] with zero: step 0.2, so the axis is [-0.2, 0.6].
    const { domain, clipped } = cumulativeDomain(settling);
    expect(clipped).toBe(true);
    expect(domain[0]).toBeCloseTo(-0.2);
    expect(domain[1]).toBeCloseTo(0.6);
    expect(cumulativeDomain(settling).ticks).toEqual([-0.2, 0, 0.2, 0.4, 0.6]);
    // Bands of like width all along: nothing is cut, and the axis spans them all and zero.
    const steady = [
      day('2026-11-16', 0.1, 0.3, 0.5),
      day('2026-11-17', 0.12, 0.28, 0.44),
      day('2026-11-18', 0.15, 0.27, 0.4),
    ];
    const whole = cumulativeDomain(steady);
    expect(whole.clipped).toBe(false);
    expect(whole.domain[0]).toBe(0);
    expect(whole.domain[1]).toBeCloseTo(0.6);
    expect(whole.ticks).toEqual([0, 0.2, 0.4, 0.6]);
    expect(cumulativeDomain([])).toEqual({ domain: [-0.01, 0.01], ticks: [-0.01, 0, 0.01], clipped: false });
  });
});
