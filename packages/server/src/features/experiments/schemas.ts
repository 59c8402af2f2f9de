/**
 * @module features/experiments/schemas
 * Request and response schemas of the experiments API.
 */
import { AttributeSchema, KeySchema, SeedSchema, VariationSchema } from '@cleave/core';
import { z } from 'zod';
import {
  Description,
  DisplayName,
  ProjectParams,
  ResourceKey,
  WriteVersion,
} from '../../http/api-schemas.js';
import { EnvelopeResponseShape, mergePatchBody, TagsField, VersionField } from '../definitions/schemas.js';
import {
  AnalysisSettingsSchema,
  DecisionSchema,
  ExperimentMetricsSchema,
  PhaseSchema,
} from './experiment-document.js';

const LayerPlacement = z.object({
  key: KeySchema,
  range: z.object({ start: z.number().min(0).max(1), end: z.number().min(0).max(1) }),
});

const experimentFields = {
  key: KeySchema,
  name: DisplayName.optional(),
  description: Description.optional(),
  hypothesis: z.string().max(5000).optional(),
  seed: SeedSchema.optional(),
  hashAttribute: AttributeSchema.optional(),
  variations: z.array(VariationSchema).min(1).max(100),
  coverage: z.number().min(0).max(1).optional(),
  layer: LayerPlacement.optional(),
  stickyBucketing: z.boolean().optional(),
  metrics: ExperimentMetricsSchema.partial().optional(),
  analysis: AnalysisSettingsSchema.partial()
    .optional()
    .describe('How results are computed; replaced as a whole by PATCH (missing fields take their defaults)'),
};

export const CreateExperimentBody = z.object({ ...experimentFields, ...TagsField });
export const PatchExperimentBody = mergePatchBody({ ...experimentFields, ...TagsField }).extend(VersionField);

export const ExperimentResponse = z.object({
  ...experimentFields,
  ...EnvelopeResponseShape,
  metrics: ExperimentMetricsSchema,
  phases: z.array(PhaseSchema),
  decision: DecisionSchema.optional(),
  analysis: AnalysisSettingsSchema.prefault({}),
});

export const ExperimentParams = ProjectParams.extend({ key: ResourceKey });
export const StartBody = z.object({ version: WriteVersion });
export const StopBody = z.object({
  outcome: z.enum(['ship', 'rollback', 'inconclusive']),
  variation: KeySchema.optional().describe('The winning variation, for ship'),
  reason: z.string().max(2000).optional(),
  rollout: z
    .boolean()
    .optional()
    .describe(
      'Apply the decision to the flags running the experiment (default true): ship serves the winner, rollback removes the rule',
    ),
  version: WriteVersion,
});
