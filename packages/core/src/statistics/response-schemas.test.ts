import { describe, expect, it } from 'vitest';
import { adjustPValues } from './adjust-p-values.js';
import { analyze } from './analyze.js';
import {
  AdjustResponseSchema,
  AnalyzeResponseSchema,
  SampleSizeResponseSchema,
  SrmResponseSchema,
} from './response-schemas.js';
import { sampleRatioMismatch } from './sample-ratio-mismatch.js';
import { sampleSize } from './sample-size.js';
import { AnalyzeRequestSchema, type Method } from './schemas.js';

describe('response schemas', () => {
  it.each(['frequentist', 'bayesian', 'sequential'] as Method[])(
    'describe exactly what analyze returns (%s)',
    (method) => {
      const result = analyze(
        AnalyzeRequestSchema.parse({
          metric: 'proportion',
          method,
          variants: [
            { n: 100, sum: 10 },
            { n: 100, sum: 14 },
          ],
        }),
      );
      // Strict schemas: a field analyze adds without a schema update fails here.
      expect(AnalyzeResponseSchema.parse(result)).toEqual(result);
    },
  );

  it('describe the SRM, adjustment and sample-size results', () => {
    expect(
      SrmResponseSchema.safeParse(sampleRatioMismatch({ counts: [10, 12], weights: [0.5, 0.5] })).success,
    ).toBe(true);
    expect(AdjustResponseSchema.safeParse({ adjusted: adjustPValues([0.1, 0.2], 'bh') }).success).toBe(true);
    expect(
      SampleSizeResponseSchema.safeParse(
        sampleSize({ metric: 'proportion', baseline: 0.1, mde: 0.1, alpha: 0.05, power: 0.8 }),
      ).success,
    ).toBe(true);
  });
});
