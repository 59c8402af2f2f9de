/**
 * @module Targeting rules: force, rollout, experiment; first match wins.
 */
import { z } from 'zod';
import { parseIsoDate } from '../evaluation/iso-date.js';
import { ConditionListSchema } from './condition.js';
import { AttributeSchema, FractionSchema, KeySchema, SeedSchema } from './key.js';

const IsoDateSchema = z
  .string()
  .refine((text) => !Number.isNaN(parseIsoDate(text)), { message: 'must be an ISO-8601 date' });

/** A rule is active from `from` (inclusive) until `until` (exclusive); either may be omitted. */
export const ScheduleSchema = z
  .object({ from: IsoDateSchema.optional(), until: IsoDateSchema.optional() })
  .refine(
    (schedule) =>
      schedule.from === undefined ||
      schedule.until === undefined ||
      parseIsoDate(schedule.from) < parseIsoDate(schedule.until),
    { message: 'from must be before until', path: ['until'] },
  );

export type Schedule = z.infer<typeof ScheduleSchema>;

const ruleBase = {
  /** Stable id: traces, metadata and the default rollout seed use it. */
  id: KeySchema,
  description: z.string().max(2000).optional(),
  /** All must match; none means every unit. */
  conditions: ConditionListSchema.optional(),
  schedule: ScheduleSchema.optional(),
};

/** Units matching the conditions get `variant`. */
export const ForceRuleSchema = z.object({ ...ruleBase, type: z.literal('force'), variant: KeySchema });

/**
 * A `fraction` of the units matching the conditions get `variant`. A unit is in when its rollout
 * bucket is below the fraction, so raising the fraction only adds units.
 */
export const RolloutRuleSchema = z.object({
  ...ruleBase,
  type: z.literal('rollout'),
  variant: KeySchema,
  fraction: FractionSchema,
  /** Defaults to `targetingKey`. */
  hashAttribute: AttributeSchema.optional(),
  /** Defaults to `<flagKey>/<ruleId>`. */
  seed: SeedSchema.optional(),
});

/**
 * An experiment decides the variant of units matching the conditions. Each experiment variation
 * maps to the flag variant of the same key unless `variants` maps it elsewhere.
 */
export const ExperimentRuleSchema = z.object({
  ...ruleBase,
  type: z.literal('experiment'),
  experimentKey: KeySchema,
  variants: z.record(KeySchema, KeySchema).optional(),
});

export const RuleSchema = z.discriminatedUnion('type', [
  ForceRuleSchema,
  RolloutRuleSchema,
  ExperimentRuleSchema,
]);

export type ForceRule = z.infer<typeof ForceRuleSchema>;
export type RolloutRule = z.infer<typeof RolloutRuleSchema>;
export type ExperimentRule = z.infer<typeof ExperimentRuleSchema>;
export type Rule = z.infer<typeof RuleSchema>;
export type RuleType = Rule['type'];
