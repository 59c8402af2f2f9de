import { describe, expect, it } from 'vitest';
import { describeMetric, emptyMetricDraft, metricBody, metricChange, metricDraftOf } from './metric-draft.js';
import type { Metric } from './queries.js';

const saved: Metric = {
  key: 'revenue-per-session',
  name: 'Revenue per session',
  description: '',
  type: 'ratio',
  numerator: {
    event: 'purchase',
    aggregation: 'sum',
    filters: [
      { property: 'country', operator: 'in', value: ['NL', 'BE'] },
      { property: 'amount', operator: 'gt', value: 0 },
    ],
  },
  denominator: { event: 'session', aggregation: 'count' },
  conversionWindow: { delayHours: 1, windowHours: 168 },
  capping: { type: 'percentile', value: 0.99 },
  direction: 'increase',
  tags: [],
  status: 'active',
  version: 3,
  createdAt: '2026-11-29T10:00:00.000Z',
  updatedAt: '2026-11-29T10:00:00.000Z',
};

describe('metric drafts', () => {
  it('turns a saved metric into a draft and back into the same body', () => {
    const body = metricBody(metricDraftOf(saved));
    expect(body).toEqual({
      type: 'ratio',
      numerator: saved.numerator,
      denominator: { event: 'session', aggregation: 'count' },
      conversionWindow: { delayHours: 1, windowHours: 168 },
      capping: { type: 'percentile', value: 0.99 },
      direction: 'increase',
    });
  });

  it('sends no denominator, window or cap that does not apply', () => {
    const draft = {
      ...emptyMetricDraft(),
      numerator: { event: 'signup', aggregation: 'sum' as const, filters: [] },
      denominator: { event: 'ignored', aggregation: 'count' as const, filters: [] },
      capping: 'absolute' as const,
      capValue: '' as const,
    };
    expect(metricBody(draft)).toEqual({
      type: 'proportion',
      numerator: { event: 'signup', aggregation: 'count' },
      direction: 'increase',
    });
    expect(metricBody({ ...draft, type: 'mean', capValue: 500 })).toMatchObject({
      type: 'mean',
      numerator: { event: 'signup', aggregation: 'sum' },
      capping: { type: 'absolute', value: 500 },
    });
  });

  it('removes from a saved metric what the form cleared, rather than leaving it out, which would keep it', () => {
    const draft = {
      ...metricDraftOf(saved),
      delayHours: 0,
      windowHours: '' as const,
      capping: 'none' as const,
      type: 'mean' as const,
    };
    expect(metricChange(draft)).toMatchObject({ conversionWindow: null, capping: null, denominator: null });
    expect(metricBody(draft)).not.toHaveProperty('conversionWindow');
    expect(metricChange(metricDraftOf(saved)).conversionWindow).toEqual({ delayHours: 1, windowHours: 168 });
  });

  it('types filter values by operator', () => {
    const draft = {
      ...emptyMetricDraft(),
      numerator: {
        event: 'purchase',
        aggregation: 'count' as const,
        filters: [
          { property: 'plan', operator: 'eq' as const, value: 'pro' },
          { property: 'seats', operator: 'gte' as const, value: '5' },
          { property: 'coupon', operator: 'not_exists' as const, value: 'ignored' },
          { property: 'tier', operator: 'not_in' as const, value: 'free, 2' },
        ],
      },
    };
    expect(metricBody(draft).numerator.filters).toEqual([
      { property: 'plan', operator: 'eq', value: 'pro' },
      { property: 'seats', operator: 'gte', value: 5 },
      { property: 'coupon', operator: 'not_exists' },
      { property: 'tier', operator: 'not_in', value: ['free', 2] },
    ]);
  });

  it('describes what a metric measures', () => {
    expect(describeMetric(saved)).toBe('sum of purchase (2 filters) / count of session');
    expect(describeMetric({ type: 'proportion', numerator: { event: 'signup', aggregation: 'count' } })).toBe(
      'share of units with signup',
    );
  });
});
