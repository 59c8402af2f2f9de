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
import { EnvelopeResponseShape, TagsField, VersionField } from '../definitions/schemas.js';

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

export const PatchFlagBody = z
  .object({ ...flagFields, ...TagsField })
  .partial()
  .extend(VersionField);

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

export const ExplainBody = z.object({
  context: z.record(z.string(), z.unknown()).describe('OpenFeature evaluation context'),
});
