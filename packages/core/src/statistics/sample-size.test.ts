import { describe, expect, it } from 'vitest';
import { sampleSize } from './sample-size.js';
import { SampleSizeRequestSchema } from './schemas.js';
import { StatisticsInputError } from './statistics-input-error.js';

describe('sampleSize', () => {
  it('matches the textbook 10 % → 11 % conversion plan (80 % power, alpha 0.05)', () => {
    // (1.959964 + 0.841621)² · (0.09 + 0.0979) / 0.01² = 14748.05 → 14749
    expect(
      sampleSize(SampleSizeRequestSchema.parse({ metric: 'proportion', baseline: 0.1, mde: 0.1 })),
    ).toEqual({
      nPerVariant: 14749,
    });
  });

  it('plans a mean metric from its standard deviation: 2σ²(z + z)²/δ²', () => {
    // σ = 10, δ = 100 · 0.05 = 5: 2 · 100 · 7.84886 / 25 = 62.79 → 63
    const request = SampleSizeRequestSchema.parse({
      metric: 'mean',
      baseline: 100,
      standardDeviation: 10,
      mde: 0.05,
    });
    expect(sampleSize(request)).toEqual({ nPerVariant: 63 });
  });

  it('needs more units for a smaller effect and for more power', () => {
    const plan = (mde: number, power: number) =>
      sampleSize({ metric: 'proportion', baseline: 0.2, mde, alpha: 0.05, power }).nPerVariant;
    expect(plan(0.05, 0.8)).toBeGreaterThan(plan(0.1, 0.8));
    expect(plan(0.1, 0.9)).toBeGreaterThan(plan(0.1, 0.8));
  });

  it('rejects an effect that moves a proportion outside (0, 1)', () => {
    expect(() =>
      sampleSize({ metric: 'proportion', baseline: 0.6, mde: 0.8, alpha: 0.05, power: 0.8 }),
    ).toThrow(StatisticsInputError);
  });

  it('rejects an effect too small for a finite sample size', () => {
    expect(() =>
      sampleSize({
        metric: 'mean',
        baseline: 1,
        standardDeviation: 1e200,
        mde: 1e-200,
        alpha: 0.05,
        power: 0.8,
      }),
    ).toThrow(/too small/);
  });

  it('rejects an effect that would need more units than an integer can count exactly', () => {
    // Found by the route fuzz: a finite n past 2^53 failed the response's integer schema (a 500).
    const request = { metric: 'proportion', baseline: 1.781293394743066e-226, mde: 8.457254561965371e92 };
    expect(() => sampleSize({ ...request, metric: 'proportion', alpha: 0.05, power: 0.8 })).toThrow(
      StatisticsInputError,
    );
    expect(() =>
      sampleSize({
        metric: 'mean',
        baseline: 4.6273470712937577e-259,
        standardDeviation: 5.637098925165176e-123,
        mde: -1.0532057986693887e115,
        alpha: 0.05,
        power: 0.8,
      }),
    ).toThrow(/more than 2\^53 units/);
  });

  it.each([
    ['a zero mde', { metric: 'proportion', baseline: 0.1, mde: 0 }],
    ['a baseline rate of 1', { metric: 'proportion', baseline: 1, mde: 0.1 }],
    ['a mean plan without standard deviation', { metric: 'mean', baseline: 10, mde: 0.1 }],
    ['a zero mean baseline', { metric: 'mean', baseline: 0, standardDeviation: 1, mde: 0.1 }],
    ['power of 1', { metric: 'proportion', baseline: 0.1, mde: 0.1, power: 1 }],
    ['a ratio metric', { metric: 'ratio', baseline: 0.1, mde: 0.1 }],
    ['unknown fields', { metric: 'proportion', baseline: 0.1, mde: 0.1, standardDeviation: 1 }],
  ])('has a schema that rejects %s', (_name, request) => {
    expect(SampleSizeRequestSchema.safeParse(request).success).toBe(false);
  });
});
