/**
 * @module Flags: typed variants, and per environment a kill switch, prerequisites, overrides
 * and ordered rules.
 */
import { z } from 'zod';
import { type FlagType, FlagTypeSchema, FlagValueSchema, valueMatchesType } from './flag-value.js';
import { AttributeSchema, KeySchema } from './key.js';
import { RuleSchema } from './rule.js';

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

export const MAX_OVERRIDE_VALUES = 10_000;

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

type IssueSink = { addIssue(issue: { code: 'custom'; path: PropertyKey[]; message: string }): void };

interface FlagBody {
  key: string;
  type: FlagType;
  variants: { key: string; value: unknown }[];
  defaultVariant: string;
  offVariant: string;
}

/**
 * Cross-field checks of one flag that need no other object: variant keys unique, values of the
 * flag's type, default/off/rule/override variants existing, rule ids unique, no self-prerequisite.
 * `environments` pairs each environment's path with its state.
 */
export function checkFlagBody(
  flag: FlagBody,
  environments: readonly { path: PropertyKey[]; environment: FlagEnvironment }[],
  sink: IssueSink,
): void {
  const variantKeys = new Set<string>();
  flag.variants.forEach((variant, index) => {
    if (variantKeys.has(variant.key)) {
      sink.addIssue({
        code: 'custom',
        path: ['variants', index, 'key'],
        message: `duplicate variant key "${variant.key}"`,
      });
    }
    variantKeys.add(variant.key);
    if (!valueMatchesType(variant.value, flag.type)) {
      sink.addIssue({
        code: 'custom',
        path: ['variants', index, 'value'],
        message: `must be a ${flag.type === 'json' ? 'JSON value' : flag.type} (the flag's type)`,
      });
    }
  });
  const requireVariant = (key: string, path: PropertyKey[]) => {
    if (!variantKeys.has(key)) sink.addIssue({ code: 'custom', path, message: `unknown variant "${key}"` });
  };
  requireVariant(flag.defaultVariant, ['defaultVariant']);
  requireVariant(flag.offVariant, ['offVariant']);
  for (const { path, environment } of environments) {
    const ruleIds = new Set<string>();
    environment.rules?.forEach((rule, index) => {
      if (ruleIds.has(rule.id)) {
        sink.addIssue({
          code: 'custom',
          path: [...path, 'rules', index, 'id'],
          message: `duplicate rule id "${rule.id}"`,
        });
      }
      ruleIds.add(rule.id);
      if (rule.type === 'experiment') {
        for (const [variationKey, variantKey] of Object.entries(rule.variants ?? {})) {
          requireVariant(variantKey, [...path, 'rules', index, 'variants', variationKey]);
        }
      } else {
        requireVariant(rule.variant, [...path, 'rules', index, 'variant']);
      }
    });
    const overridden = new Map<string, string>();
    environment.overrides?.forEach((override, index) => {
      requireVariant(override.variant, [...path, 'overrides', index, 'variant']);
      const attribute = override.attribute ?? 'targetingKey';
      override.values.forEach((value, valueIndex) => {
        const id = `${attribute}\u0000${value}`;
        const previous = overridden.get(id);
        if (previous !== undefined && previous !== override.variant) {
          sink.addIssue({
            code: 'custom',
            path: [...path, 'overrides', index, 'values', valueIndex],
            message: `"${value}" is already overridden to variant "${previous}"`,
          });
        }
        overridden.set(id, override.variant);
      });
    });
    environment.prerequisites?.forEach((prerequisite, index) => {
      if (prerequisite.flagKey === flag.key) {
        sink.addIssue({
          code: 'custom',
          path: [...path, 'prerequisites', index, 'flagKey'],
          message: 'a flag cannot be its own prerequisite',
        });
      }
    });
  }
}

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
