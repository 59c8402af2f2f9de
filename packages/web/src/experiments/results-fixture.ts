/**
 * @module experiments/results-fixture
 * Results of the shape the analysis API returns (docs/analysis.md), for component tests: a running
 * checkout experiment where treatment wins on purchases, loses on a guardrail, with a daily series.
 */
import type { ExperimentResults } from './results-types.js';

export function checkoutResults(overrides: Partial<ExperimentResults['health']> = {}): ExperimentResults {
  const comparison = {
    variant: 'treatment',
    estimate: 0.041,
    standardError: 0.0148,
    ciLower: 0.012,
    ciUpper: 0.07,
    pValue: 0.0056,
    chanceToWin: null,
    expectedLoss: null,
    verdict: 'win' as const,
  };
  return {
    snapshotId: 'snap-1',
    computedAt: '2026-11-29T10:00:00.000Z',
    environment: 'production',
    period: { startAt: '2026-11-15T00:00:00.000Z', endAt: '2026-11-29T10:00:00.000Z' },
    settings: {
      method: 'frequentist',
      effect: 'relative',
      alpha: 0.05,
      cuped: false,
      cupedWindowDays: 14,
      correction: 'none',
      sequentialTuning: 5000,
      refreshMinutes: 60,
      onEnd: 'notify',
    },
    health: {
      units: { control: 5012, treatment: 4988 },
      srm: { chiSquare: 0.06, pValue: 0.81, flagged: false },
      multipleVariantUnits: 0,
      unknownVariantUnits: 0,
      guardrails: [{ metric: 'errors', variant: 'treatment', regressed: true }],
      plannedUnits: 20_000,
      ended: { reached: false, reason: null },
      summary: [
        {
          metric: 'purchase',
          variant: 'treatment',
          sentence: 'treatment raises purchase by 4.1 % (95 % CI 1.2 % to 7.0 %)',
        },
      ],
      ...overrides,
    },
    metrics: [
      {
        metric: 'errors',
        role: 'guardrail',
        variants: [
          { variant: 'control', n: 5012, mean: 0.02, variance: 0.0196 },
          { variant: 'treatment', n: 4988, mean: 0.026, variance: 0.0253 },
        ],
        comparisons: [
          { ...comparison, estimate: 0.3, ciLower: 0.05, ciUpper: 0.55, pValue: 0.02, verdict: 'loss' },
        ],
        series: [],
      },
      {
        metric: 'purchase',
        role: 'primary',
        variants: [
          { variant: 'control', n: 5012, mean: 0.101, variance: 0.0908 },
          { variant: 'treatment', n: 4988, mean: 0.1051, variance: 0.094 },
        ],
        comparisons: [comparison],
        series: [
          {
            date: '2026-11-27',
            variants: [],
            comparisons: [{ ...comparison, ciLower: -0.05, ciUpper: 0.13 }],
          },
          { date: '2026-11-28', variants: [], comparisons: [comparison] },
        ],
      },
    ],
  };
}
