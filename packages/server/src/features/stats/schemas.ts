/**
 * @module features/stats/schemas
 * The stateless calculators' request and response schemas. Requests are `@cleave/core`'s own
 * schemas (strict: a misspelt field is an error, not silently ignored); responses are finite
 * numbers only.
 */
import {
  AdjustRequestSchema,
  AnalyzeRequestSchema,
  SampleSizeRequestSchema,
  SrmRequestSchema,
} from '@cleave/core';
import { z } from 'zod';

export { AdjustRequestSchema, AnalyzeRequestSchema, SampleSizeRequestSchema, SrmRequestSchema };

const Nullable = z.number().nullable();

export const AnalyzeResponse = z.object({
  variants: z.array(z.object({ n: z.number(), mean: z.number(), variance: z.number() })),
  comparisons: z.array(
    z.object({
      variant: z.number().int(),
      estimate: z.number(),
      standardError: z.number(),
      ciLower: z.number(),
      ciUpper: z.number(),
      pValue: Nullable,
      chanceToWin: Nullable,
      expectedLoss: Nullable,
    }),
  ),
});

export const SrmResponse = z.object({
  chiSquare: z.number(),
  pValue: z.number(),
  flagged: z.boolean().describe('p < 0.001: the traffic split does not match the weights'),
});

export const AdjustResponse = z.object({ adjustedPValues: z.array(z.number()) });

export const SampleSizeResponse = z.object({
  nPerVariant: z.number().int().describe('Units needed in each of the two arms'),
});
