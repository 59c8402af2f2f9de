/**
 * @module Response schemas of the statistics engine: the shapes `analyze`, `sampleRatioMismatch`,
 * `adjustPValues` and `sampleSize` return, for the server's route schemas and OpenAPI document.
 * Kept apart from the request schemas because requests and responses evolve separately. Strict,
 * so a field added to a result without its schema fails the tests instead of leaking unnoticed.
 */
import { z } from 'zod';

export const VariantResultSchema = z.strictObject({
  n: z.number().int(),
  mean: z.number(),
  /** Unit variance s² (n·v for ratio metrics). */
  variance: z.number(),
});

export const ComparisonSchema = z.strictObject({
  variant: z.number().int().min(1),
  estimate: z.number(),
  standardError: z.number(),
  ciLower: z.number(),
  ciUpper: z.number(),
  pValue: z.number().nullable(),
  chanceToWin: z.number().nullable(),
  expectedLoss: z.number().nullable(),
});

export const AnalyzeResponseSchema = z.strictObject({
  variants: z.array(VariantResultSchema),
  comparisons: z.array(ComparisonSchema),
});

export const SrmResponseSchema = z.strictObject({ chiSquare: z.number(), pValue: z.number() });

export const AdjustResponseSchema = z.strictObject({ adjusted: z.array(z.number()) });

export const SampleSizeResponseSchema = z.strictObject({ nPerVariant: z.number().int() });
