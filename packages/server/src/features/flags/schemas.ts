/**
 * @module features/flags/schemas
 * Request and response schemas of the flags API. Fields are `@cleave/core`'s; cross-field rules
 * (variants exist, values match the type, references resolve) are checked by the service through
 * core, which reports every bad field with its path.
 */
import { FlagEnvironmentSchema, FlagTypeSchema, KeySchema, RuleSchema, VariantSchema } from '@cleave/core';
import { z } from 'zod';
import {
  Description,
  DisplayName,
  ProjectParams,
  ResourceKey,
  WriteVersion,
} from '../../http/api-schemas.js';
import { EnvelopeResponseShape, mergePatchBody, TagsField, VersionField } from '../definitions/schemas.js';

const flagFields = {
  key: KeySchema,
  name: DisplayName.optional(),
  description: Description.optional(),
  type: FlagTypeSchema,
  variants: z.array(VariantSchema).min(1).max(100),
  defaultVariant: KeySchema,
  offVariant: KeySchema,
};

export const CreateFlagBody = z.object({
  ...flagFields,
  ...TagsField,
  environments: z
    .record(KeySchema, FlagEnvironmentSchema)
    .optional()
    .describe('State per environment; environments left out start disabled with no rules'),
});

export const PatchFlagBody = mergePatchBody({ ...flagFields, ...TagsField }).extend(VersionField);

export const FlagResponse = z.object({
  ...flagFields,
  ...EnvelopeResponseShape,
  environments: z.record(z.string(), FlagEnvironmentSchema),
});

export const FlagEnvironmentParams = ProjectParams.extend({ key: ResourceKey, environmentKey: ResourceKey });
export const FlagRuleParams = FlagEnvironmentParams.extend({ ruleId: ResourceKey });

export const PutFlagEnvironmentBody = FlagEnvironmentSchema.extend(VersionField);
export const ToggleBody = z.object({ enabled: z.boolean(), version: WriteVersion });
export const AddRuleBody = z.object({
  rule: RuleSchema,
  index: z.number().int().min(0).optional().describe('Position to insert at; default: last'),
  version: WriteVersion,
});
export const ReorderRulesBody = z.object({ ruleIds: z.array(ResourceKey).max(500), version: WriteVersion });

export const CopyEnvironmentBody = z.object({
  from: ResourceKey.describe('The environment whose configuration is copied'),
  version: WriteVersion,
});

export const StaleFlagsParams = ProjectParams.extend({ environmentKey: ResourceKey });
export const StaleFlagsQuery = z.object({
  days: z.coerce
    .number()
    .int()
    .min(1)
    .max(3650)
    .default(30)
    .describe('How long a flag must have been unchanged, or not evaluated, to be listed'),
});
export const StaleFlagsResponse = z.object({
  environment: z.string(),
  days: z.number().int(),
  cutoff: z.string().describe('Flags unchanged or not evaluated since this time (ISO-8601)'),
  items: z.array(
    z.object({
      key: z.string(),
      name: z.string(),
      reasons: z
        .array(z.enum(['fully_rolled_out', 'not_evaluated']))
        .describe(
          'fully_rolled_out: unchanged while serving one variant to every unit; not_evaluated: no server-side evaluation (remote evaluation, OFREP) recorded since the cutoff',
        ),
      servedVariant: z.string().nullable().describe('The one variant every unit gets, if there is one'),
      lastChangedAt: z.string(),
      lastEvaluatedAt: z.string().nullable(),
    }),
  ),
});

export const ExplainBody = z.object({
  context: z.record(z.string(), z.unknown()).describe('OpenFeature evaluation context'),
});
