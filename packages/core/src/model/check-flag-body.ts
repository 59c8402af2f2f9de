/**
 * @module Cross-field checks of one flag (variants, references to them, rule ids, overrides,
 * self-prerequisites); zod-free, shared by the zod schemas and the compile step's checks.
 */
import type { FlagEnvironment } from './flag.js';
import { type FlagType, valueMatchesType } from './flag-type.js';

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
