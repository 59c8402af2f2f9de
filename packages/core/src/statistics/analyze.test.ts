import { describe, expect, it } from 'vitest';
import type { ValidationIssue } from '../model/validation-result.js';
import { analyze, analyzeJson, validateAnalyzeRequest } from './analyze.js';
import { type AnalyzeInput, AnalyzeRequestSchema } from './schemas.js';
import { StatisticsInputError } from './statistics-input-error.js';

const run = (input: AnalyzeInput) => analyze(AnalyzeRequestSchema.parse(input));

/** The issues `work` throws as a StatisticsInputError (and fails if it throws anything else). */
function issuesOf(work: () => unknown): readonly ValidationIssue[] {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(StatisticsInputError);
    return (error as StatisticsInputError).issues;
  }
  throw new Error('expected a StatisticsInputError');
}

const meanArm = (n: number, mean: number, sd: number) => ({
  n,
  sum: n * mean,
  sumSquares: (n - 1) * sd * sd + n * mean * mean,
});

describe('analyze', () => {
  it('applies the documented defaults: frequentist, relative, alpha 0.05, no CUPED', () => {
    const parsed = AnalyzeRequestSchema.parse({
      metric: 'mean',
      variants: [meanArm(100, 10, 2), meanArm(100, 11, 2)],
    });
    expect(parsed).toMatchObject({
      method: 'frequentist',
      effect: 'relative',
      alpha: 0.05,
      cuped: false,
      sequentialTuning: 5000,
      direction: 'increase',
    });
    const [comparison] = analyze(parsed).comparisons;
    expect(comparison?.estimate).toBeCloseTo(0.1, 12);
    expect(comparison?.chanceToWin).toBeNull();
    expect(comparison?.expectedLoss).toBeNull();
  });

  it('reports the unit variance of each arm, and m(1 − m) for proportions', () => {
    const means = run({ metric: 'mean', variants: [meanArm(50, 3, 1.5), meanArm(60, 4, 2)] });
    expect(means.variants[0]?.variance).toBeCloseTo(2.25, 10);
    expect(means.variants[1]?.variance).toBeCloseTo(4, 10);
    const proportions = run({
      metric: 'proportion',
      variants: [
        { n: 200, sum: 50 },
        { n: 200, sum: 60, sumSquares: 60 },
      ],
    });
    expect(proportions.variants.map((variant) => variant.variance)).toEqual([0.25 * 0.75, 0.3 * 0.7]);
  });

  it('compares every treatment with control, in request order', () => {
    const result = run({
      metric: 'mean',
      effect: 'absolute',
      variants: [meanArm(100, 10, 2), meanArm(100, 12, 2), meanArm(100, 9, 2)],
    });
    expect(result.comparisons.map((comparison) => comparison.variant)).toEqual([1, 2]);
    expect(result.comparisons.map((comparison) => comparison.estimate)).toEqual([2, -1]);
  });

  it('uses the unadjusted control mean as the base of a negative-mean relative effect', () => {
    const [comparison] = run({
      metric: 'mean',
      variants: [meanArm(100, -4, 1), meanArm(100, -3, 1)],
    }).comparisons;
    // (−3 − −4)/|−4|: moving towards zero from below is a +25 % change.
    expect(comparison?.estimate).toBeCloseTo(0.25, 12);
  });

  it('narrows the interval with a correlated CUPED covariate and leaves the point estimate near', () => {
    // Pre-period x equals the in-experiment y up to unit-level noise: θ near 1, variance mostly explained.
    const arm = (n: number, shift: number) => ({
      n,
      sum: n * (10 + shift),
      sumSquares: (n - 1) * 4 + n * (10 + shift) ** 2,
      covariate: {
        sum: n * 10,
        sumSquares: (n - 1) * 4 + n * 100,
        sumProduct: (n - 1) * 3.6 + n * 10 * (10 + shift),
      },
    });
    const request = {
      metric: 'mean' as const,
      effect: 'absolute' as const,
      variants: [arm(500, 0), arm(500, 0.5)],
    };
    const [plain] = run(request).comparisons;
    const [adjusted] = run({ ...request, cuped: true }).comparisons;
    expect(adjusted?.estimate).toBeCloseTo(0.5, 10);
    // Var reduces by ρ² = 0.9²: se shrinks by √(1 − 0.81).
    expect((adjusted?.standardError ?? 0) / (plain?.standardError ?? 1)).toBeCloseTo(Math.sqrt(1 - 0.81), 3);
  });

  it('leaves arms unchanged by CUPED when the covariate has no spread (θ = 0, not 0/0)', () => {
    const arm = (mean: number) => ({
      ...meanArm(100, mean, 2),
      covariate: { sum: 500, sumSquares: 2500, sumProduct: 5 * 100 * mean },
    });
    const request = { metric: 'mean' as const, variants: [arm(10), arm(11)] };
    expect(run({ ...request, cuped: true })).toEqual(run(request));
  });

  it('ignores covariate sums when cuped is false', () => {
    const withCovariate = { ...meanArm(100, 10, 2), covariate: { sum: 1, sumSquares: 1, sumProduct: 1 } };
    expect(run({ metric: 'mean', variants: [withCovariate, meanArm(100, 11, 2)] })).toEqual(
      run({ metric: 'mean', variants: [meanArm(100, 10, 2), meanArm(100, 11, 2)] }),
    );
  });

  it('rounds a variance a hair below zero from cancellation to zero instead of rejecting it', () => {
    // 1000 units all equal to 0.3, summed one by one: Σx² − (Σx)²/n comes out at −1.2e-12.
    let sum = 0;
    let sumSquares = 0;
    for (let unit = 0; unit < 1000; unit++) {
      sum += 0.3;
      sumSquares += 0.3 * 0.3;
    }
    expect(sumSquares - (sum * sum) / 1000).toBeLessThan(0);
    const constant = { n: 1000, sum, sumSquares };
    const result = run({
      metric: 'mean',
      effect: 'absolute',
      variants: [constant, meanArm(1000, 0.4, 0.05)],
    });
    expect(result.variants[0]?.variance).toBe(0);
    expect(result.comparisons[0]?.pValue).toBeLessThan(1e-10);
  });

  it('never returns NaN or Infinity: the p-value of an overwhelming effect underflows to 0', () => {
    const [comparison] = run({
      metric: 'mean',
      method: 'sequential',
      variants: [meanArm(10_000, 1, 0.01), meanArm(10_000, 2, 0.01)],
    }).comparisons;
    expect(comparison?.pValue).toBe(0);
    expect(Object.values(comparison ?? {}).every((value) => value === null || Number.isFinite(value))).toBe(
      true,
    );
  });

  it('accepts JSON through analyzeJson and validates it with paths', () => {
    expect(
      analyzeJson({
        metric: 'proportion',
        variants: [
          { n: 100, sum: 10 },
          { n: 100, sum: 20 },
        ],
      }).comparisons,
    ).toHaveLength(1);
    expect(issuesOf(() => analyzeJson({ metric: 'median', variants: [] }))).toEqual([
      expect.objectContaining({ path: '/metric' }),
      expect.objectContaining({ path: '/variants' }),
    ]);
  });

  describe('rejects bad input with the path of the problem', () => {
    it.each([
      [
        'n below 2',
        { metric: 'mean', variants: [{ n: 1, sum: 1, sumSquares: 1 }, meanArm(10, 1, 1)] },
        '/variants/0/n',
      ],
      [
        'a fractional n',
        { metric: 'mean', variants: [{ n: 2.5, sum: 1, sumSquares: 1 }, meanArm(10, 1, 1)] },
        '/variants/0/n',
      ],
      [
        'an unknown top-level field',
        { metric: 'mean', cupd: true, variants: [meanArm(10, 1, 1), meanArm(10, 1, 1)] },
        '',
      ],
      [
        'an unknown variant field',
        { metric: 'mean', variants: [meanArm(10, 1, 1), { ...meanArm(10, 1, 1), mean: 1 }] },
        '/variants/1',
      ],
      ['a single arm', { metric: 'mean', variants: [meanArm(10, 1, 1)] }, '/variants'],
      [
        'alpha of 1',
        { metric: 'mean', alpha: 1, variants: [meanArm(10, 1, 1), meanArm(10, 1, 1)] },
        '/alpha',
      ],
      [
        'a non-positive tuning',
        { metric: 'mean', sequentialTuning: 0, variants: [meanArm(10, 1, 1), meanArm(10, 1, 1)] },
        '/sequentialTuning',
      ],
      [
        'an unknown method',
        { metric: 'mean', method: 'magic', variants: [meanArm(10, 1, 1), meanArm(10, 1, 1)] },
        '/method',
      ],
      [
        'a string for a number',
        { metric: 'mean', variants: [meanArm(10, 1, 1), { n: 10, sum: '1', sumSquares: 1 }] },
        '/variants/1/sum',
      ],
    ])('%s (schema)', (_name, input, path) => {
      const result = validateAnalyzeRequest(input);
      expect(result.ok).toBe(false);
      expect(result.ok ? [] : result.issues.map((issue) => issue.path)).toContain(path);
    });

    it.each([
      [
        'sums giving a negative variance',
        { metric: 'mean', variants: [{ n: 10, sum: 100, sumSquares: 500 }, meanArm(10, 1, 1)] },
        '/variants/0/sumSquares',
      ],
      [
        'a mean metric without sumSquares',
        { metric: 'mean', variants: [{ n: 10, sum: 100 }, meanArm(10, 1, 1)] },
        '/variants/0/sumSquares',
      ],
      [
        'sums too large for double precision',
        { metric: 'mean', variants: [{ n: 10, sum: 1e200, sumSquares: 1e300 }, meanArm(10, 1, 1)] },
        '/variants/0/sumSquares',
      ],
      [
        'more conversions than units',
        {
          metric: 'proportion',
          variants: [
            { n: 10, sum: 3 },
            { n: 10, sum: 11 },
          ],
        },
        '/variants/1/sum',
      ],
      [
        'negative conversions',
        {
          metric: 'proportion',
          variants: [
            { n: 10, sum: -1 },
            { n: 10, sum: 1 },
          ],
        },
        '/variants/0/sum',
      ],
      [
        'sumSquares unequal to conversions',
        {
          metric: 'proportion',
          variants: [
            { n: 10, sum: 3, sumSquares: 4 },
            { n: 10, sum: 1 },
          ],
        },
        '/variants/0/sumSquares',
      ],
      [
        'a zero control mean for a relative effect',
        {
          metric: 'proportion',
          variants: [
            { n: 10, sum: 0 },
            { n: 10, sum: 3 },
          ],
        },
        '/variants/0/sum',
      ],
      [
        'no variation anywhere',
        {
          metric: 'mean',
          effect: 'absolute',
          variants: [
            { n: 10, sum: 10, sumSquares: 10 },
            { n: 10, sum: 20, sumSquares: 40 },
          ],
        },
        '/variants/1',
      ],
      [
        'a denominator on a mean metric',
        {
          metric: 'mean',
          variants: [
            { ...meanArm(10, 1, 1), denominator: { sum: 1, sumSquares: 1, sumProduct: 1 } },
            meanArm(10, 1, 1),
          ],
        },
        '/variants/0/denominator',
      ],
      [
        'a ratio without denominator',
        { metric: 'ratio', variants: [meanArm(10, 1, 1), meanArm(10, 1, 1)] },
        '/variants/0/denominator',
      ],
      [
        'a ratio with a zero denominator sum',
        {
          metric: 'ratio',
          variants: [
            { ...meanArm(10, 1, 1), denominator: { sum: 0, sumSquares: 4, sumProduct: 1 } },
            { ...meanArm(10, 1, 1), denominator: { sum: 10, sumSquares: 12, sumProduct: 12 } },
          ],
        },
        '/variants/0/denominator/sum',
      ],
      [
        'a ratio whose Σnum·den breaks Cauchy–Schwarz',
        {
          metric: 'ratio',
          variants: [
            { n: 10, sum: 10, sumSquares: 12, denominator: { sum: 20, sumSquares: 42, sumProduct: 100 } },
            { ...meanArm(10, 1, 1), denominator: { sum: 10, sumSquares: 12, sumProduct: 12 } },
          ],
        },
        '/variants/0/denominator/sumProduct',
      ],
      [
        'CUPED without a covariate',
        {
          metric: 'mean',
          cuped: true,
          variants: [
            meanArm(10, 1, 1),
            { ...meanArm(10, 1, 1), covariate: { sum: 1, sumSquares: 1, sumProduct: 1 } },
          ],
        },
        '/variants/0/covariate',
      ],
      [
        'CUPED on a ratio metric',
        {
          metric: 'ratio',
          cuped: true,
          variants: [
            { ...meanArm(10, 1, 1), denominator: { sum: 10, sumSquares: 12, sumProduct: 12 } },
            { ...meanArm(10, 1, 1), denominator: { sum: 10, sumSquares: 12, sumProduct: 12 } },
          ],
        },
        '/cuped',
      ],
      [
        'a CUPED covariate with negative variance',
        {
          metric: 'mean',
          cuped: true,
          variants: [
            { ...meanArm(10, 1, 1), covariate: { sum: 10, sumSquares: 5, sumProduct: 10 } },
            { ...meanArm(10, 1, 1), covariate: { sum: 10, sumSquares: 12, sumProduct: 11 } },
          ],
        },
        '/variants/0/covariate/sumSquares',
      ],
      [
        'a CUPED Σxy that breaks Cauchy–Schwarz',
        {
          metric: 'mean',
          cuped: true,
          variants: [
            { ...meanArm(10, 1, 1), covariate: { sum: 10, sumSquares: 12, sumProduct: 60 } },
            { ...meanArm(10, 1, 1), covariate: { sum: 10, sumSquares: 12, sumProduct: 11 } },
          ],
        },
        '/variants/0/covariate/sumProduct',
      ],
    ])('%s (semantic)', (_name, input, path) => {
      const parsed = AnalyzeRequestSchema.parse(input);
      const issues = issuesOf(() => analyze(parsed));
      expect(issues.map((issue) => issue.path)).toContain(path);
      expect(issues.every((issue) => issue.message.length > 10)).toBe(true);
    });

    it('lists the problems of every arm at once', () => {
      const parsed = AnalyzeRequestSchema.parse({
        metric: 'proportion',
        variants: [
          { n: 10, sum: 11 },
          { n: 10, sum: 5 },
          { n: 10, sum: -2 },
        ],
      });
      expect(issuesOf(() => analyze(parsed)).map((issue) => issue.path)).toEqual([
        '/variants/0/sum',
        '/variants/2/sum',
      ]);
    });

    it('carries a stable code and a readable message', () => {
      const error = new StatisticsInputError([{ path: '/variants/0/sum', message: 'is wrong' }]);
      expect(error.code).toBe('invalid_statistics_input');
      expect(error.message).toBe('/variants/0/sum: is wrong');
    });
  });
});
