/**
 * @module Flags: typed variants, and per environment a kill switch, prerequisites, overrides
 * and ordered rules.
 */
import { z } from 'zod';
import { checkFlagBody } from './check-flag-body.js';
import { FlagTypeSchema, FlagValueSchema } from './flag-value.js';
import { AttributeSchema, KeySchema } from './key.js';
import { MAX_OVERRIDE_VALUES } from './payload-shape.js';
import { RuleSchema } from './rule.js';

export { checkFlagBody } from './check-flag-body.js';

export const VariantSchema = z.object({
  key: KeySchema,
  name: z.string().max(200).optional(),
  description: z.string().max(2000).optional(),
  value: FlagValueSchema,
});

export type Variant = z.infer<typeof VariantSchema>;

/** The flag is on for a unit only if flag `flagKey` evaluates to one of `variants` for it. */
export const PrerequisiteSchema = z.object({
  flagKey: KeySchema,
  variants: z.array(KeySchema).min(1).max(100),
});

export type Prerequisite = z.infer<typeof PrerequisiteSchema>;

export { MAX_OVERRIDE_VALUES } from './payload-shape.js';

/** A per-unit allow-list (QA, demos): units whose `attribute` is one of `values` get `variant`. */
export const OverrideSchema = z.object({
  /** Defaults to `targetingKey`. */
  attribute: AttributeSchema.optional(),
  values: z.array(z.string().min(1).max(1000)).min(1).max(MAX_OVERRIDE_VALUES),
  variant: KeySchema,
});

export type Override = z.infer<typeof OverrideSchema>;

/** A flag's state in one environment. */
export const flagEnvironmentShape = {
  /** The kill switch: when false every unit gets the off variant. */
  enabled: z.boolean(),
  prerequisites: z.array(PrerequisiteSchema).max(50).optional(),
  overrides: z.array(OverrideSchema).max(100).optional(),
  rules: z.array(RuleSchema).max(500).optional(),
};

export const FlagEnvironmentSchema = z.object(flagEnvironmentShape);

export type FlagEnvironment = z.infer<typeof FlagEnvironmentSchema>;

/** The fields every form of a flag has. */
export const flagShape = {
  key: KeySchema,
  type: FlagTypeSchema,
  variants: z.array(VariantSchema).min(1).max(100),
  /** Served when the flag is on and no rule matches. */
  defaultVariant: KeySchema,
  /** Served when the flag is off (kill switch) or a prerequisite fails. */
  offVariant: KeySchema,
};

/** A flag as managed: its definition plus its state in every environment. */
export const FlagSchema = z
  .object({
    ...flagShape,
    name: z.string().max(200).optional(),
    description: z.string().max(2000).optional(),
    environments: z.record(KeySchema, FlagEnvironmentSchema),
  })
  .superRefine((flag, context) => {
    const environments = Object.entries(flag.environments).map(([key, environment]) => ({
      path: ['environments', key],
      environment,
    }));
    checkFlagBody(flag, environments, context);
  });

export type Flag = z.infer<typeof FlagSchema>;
