import { describe, expect, it } from 'vitest';
import type { Comparison } from './comparison.js';
import { type DescribeComparisonOptions, describeComparison } from './describe-comparison.js';

const comparison = (overrides: Partial<Comparison>): Comparison => ({
  variant: 1,
  estimate: 0.041,
  standardError: 0.0148,
  ciLower: 0.012,
  ciUpper: 0.07,
  pValue: 0.006,
  chanceToWin: null,
  expectedLoss: null,
  ...overrides,
});

const options = (overrides: Partial<DescribeComparisonOptions>): DescribeComparisonOptions => ({
  method: 'frequentist',
  alpha: 0.05,
  metric: 'proportion',
  effect: 'relative',
  metricName: 'purchase',
  variantName: 'Treatment',
  ...overrides,
});

describe('describeComparison', () => {
  it('states a relative win with its confidence interval', () => {
    expect(describeComparison(comparison({}), options({}))).toBe(
      'Treatment raises purchase by 4.1 % (95 % CI 1.2 % to 7.0 %)',
    );
  });

  it('states an absolute change of a proportion in percentage points', () => {
    expect(
      describeComparison(
        comparison({ estimate: 0.013, ciLower: 0.004, ciUpper: 0.022 }),
        options({ effect: 'absolute' }),
      ),
    ).toBe('Treatment raises purchase by 1.3 percentage points (95 % CI 0.4 to 2.2 percentage points)');
  });

  it('states an absolute change of a mean in the metric’s unit', () => {
    expect(
      describeComparison(
        comparison({ estimate: 1.234, ciLower: 0.52, ciUpper: 1.95 }),
        options({
          metric: 'mean',
          effect: 'absolute',
          metricName: 'revenue per user',
          variantName: 'Blue button',
        }),
      ),
    ).toBe('Blue button raises revenue per user by 1.23 (95 % CI 0.52 to 1.95)');
  });

  it('calls a significant drop of a decrease-is-better metric an improvement', () => {
    expect(
      describeComparison(
        comparison({ estimate: -0.08, ciLower: -0.129, ciUpper: -0.031 }),
        options({ metric: 'mean', metricName: 'page load time', direction: 'decrease' }),
      ),
    ).toBe(
      'Treatment lowers page load time by 8.0 % (95 % CI 3.1 % to 12.9 %), an improvement (lower is better)',
    );
  });

  it('calls a significant rise of a decrease-is-better metric a regression', () => {
    expect(describeComparison(comparison({}), options({ metricName: 'bounce', direction: 'decrease' }))).toBe(
      'Treatment raises bounce by 4.1 % (95 % CI 1.2 % to 7.0 %), a regression (lower is better)',
    );
  });

  it('calls a significant drop of an increase-is-better metric a regression', () => {
    expect(
      describeComparison(comparison({ estimate: -0.041, ciLower: -0.07, ciUpper: -0.012 }), options({})),
    ).toBe('Treatment lowers purchase by 4.1 % (95 % CI 1.2 % to 7.0 %), a regression');
  });

  it('says when there is no clear effect yet, with the signed estimate', () => {
    expect(
      describeComparison(
        comparison({ estimate: 0.012, ciLower: -0.008, ciUpper: 0.032, pValue: 0.24 }),
        options({}),
      ),
    ).toBe('No clear effect of Treatment on purchase yet: +1.2 % (95 % CI \u22120.8 % to +3.2 %)');
  });

  it('judges the adjusted p-value when one is given', () => {
    expect(describeComparison(comparison({}), options({ adjustedPValue: 0.2 }))).toMatch(/^No clear effect/);
  });

  it('uses the credible interval and chance to win for bayesian results', () => {
    expect(
      describeComparison(
        comparison({ pValue: null, chanceToWin: 0.9962 }),
        options({ method: 'bayesian', alpha: 0.1 }),
      ),
    ).toBe(
      'Treatment raises purchase by 4.1 % (90 % credible interval 1.2 % to 7.0 %; 99.6 % chance to win)',
    );
    expect(
      describeComparison(comparison({ pValue: null, chanceToWin: 0.99997 }), options({ method: 'bayesian' })),
    ).toContain('> 99.9 % chance to win');
  });

  it('keeps tiny effects visible instead of printing 0.0 %', () => {
    expect(
      describeComparison(
        comparison({ estimate: 0.0002, ciLower: 0.0001, ciUpper: 0.0003, pValue: 0.001 }),
        options({}),
      ),
    ).toBe('Treatment raises purchase by 0.02 % (95 % CI 0.01 % to 0.03 %)');
  });
});
