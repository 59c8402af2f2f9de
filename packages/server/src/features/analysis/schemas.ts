/**
 * @module features/analysis/schemas
 * Request and response schemas of analysis: requesting a run, following its job, reading results.
 * Numbers a method does not define are `null`, never NaN or Infinity.
 */
import { z } from 'zod';
import { ProjectParams, ResourceKey, Timestamp } from '../../http/api-schemas.js';
import { AnalysisSettingsSchema } from '../experiments/experiment-document.js';

export const AnalysisParams = ProjectParams.extend({ key: ResourceKey });
export const JobParams = ProjectParams.extend({ jobId: z.string().min(1).max(100) });

export const AnalyzeExperimentBody = z
  .object({
    environment: ResourceKey.optional().describe("The environment's key; default production"),
  })
  // A POST without a body (Fastify hands the validator null) analyses production.
  .nullish();

export const JobAccepted = z.object({ jobId: z.string() });

export const JobResponse = z.object({
  id: z.string(),
  type: z.string(),
  experiment: z.string(),
  status: z.enum(['queued', 'running', 'succeeded', 'failed']),
  progress: z.number().min(0).max(1),
  error: z.string().optional(),
  snapshotId: z.string().optional(),
  createdAt: Timestamp,
  finishedAt: Timestamp.optional(),
});

export const ResultsQuery = z.object({
  environment: ResourceKey.optional().describe("The environment's key; default production"),
  dimension: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe("Break results down by this attribute of each unit's first exposure"),
});

const Statistic = z.number().nullable();

export const VariantResultSchema = z.object({
  variant: z.string(),
  n: z.number().int(),
  mean: Statistic,
  variance: Statistic.describe('Unit variance s² (n·v for ratio metrics)'),
});

export const ComparisonResultSchema = z.object({
  variant: z.string(),
  estimate: Statistic,
  standardError: Statistic,
  ciLower: Statistic,
  ciUpper: Statistic,
  pValue: Statistic,
  adjustedPValue: Statistic.optional(),
  chanceToWin: Statistic,
  expectedLoss: Statistic,
  verdict: z.enum(['win', 'loss', 'inconclusive']),
  /** Why there is no estimate (too few units, no variation, a zero control mean). */
  note: z.string().optional(),
});

const SeriesPoint = z.object({
  date: z.string().describe('UTC day; cumulative up to its end'),
  variants: z.array(VariantResultSchema),
  comparisons: z.array(ComparisonResultSchema),
});

export const MetricResultSchema = z.object({
  metric: z.string(),
  role: z.enum(['primary', 'secondary', 'guardrail']),
  variants: z.array(VariantResultSchema),
  comparisons: z.array(ComparisonResultSchema),
  series: z.array(SeriesPoint),
  dimension: z
    .object({
      name: z.string(),
      values: z.array(
        z.object({
          value: z.string(),
          variants: z.array(VariantResultSchema),
          comparisons: z.array(ComparisonResultSchema),
        }),
      ),
    })
    .optional(),
});

export const HealthSchema = z.object({
  units: z.record(z.string(), z.number().int()),
  srm: z.object({ chiSquare: Statistic, pValue: Statistic, flagged: z.boolean() }),
  multipleVariantUnits: z.number().int(),
  unknownVariantUnits: z.number().int(),
  guardrails: z.array(z.object({ metric: z.string(), variant: z.string(), regressed: z.boolean() })),
  plannedUnits: z.number().int().nullable(),
  /** Whether the experiment reached its end date or planned units. */
  ended: z.object({ reached: z.boolean(), reason: z.enum(['end_date', 'planned_units']).nullable() }),
  /** One plain sentence per metric and treatment. */
  summary: z.array(z.object({ metric: z.string(), variant: z.string(), sentence: z.string() })),
});

export const ResultsResponse = z.object({
  snapshotId: z.string(),
  computedAt: Timestamp,
  environment: z.string(),
  period: z.object({ startAt: Timestamp.nullable(), endAt: Timestamp }),
  settings: AnalysisSettingsSchema,
  health: HealthSchema,
  metrics: z.array(MetricResultSchema),
});

export type VariantResult = z.infer<typeof VariantResultSchema>;
export type ComparisonResult = z.infer<typeof ComparisonResultSchema>;
export type MetricResult = z.infer<typeof MetricResultSchema>;
export type Health = z.infer<typeof HealthSchema>;
export type Results = z.infer<typeof ResultsResponse>;
