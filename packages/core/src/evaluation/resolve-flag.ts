/**
 * @module Resolving one flag for one unit.
 *
 * Order (ARCHITECTURE.md): kill switch → prerequisites → per-unit overrides → rules in order,
 * first match wins → default variant.
 *
 * Missing unit ids: a rollout or experiment rule whose hash attribute is absent is skipped
 * (trace outcome `unit_id_missing`) and later rules still get their chance, so a unit without
 * an id still gets forced or attribute-targeted values. Only if no rule matches and at least
 * one rule was skipped for a missing unit id does the result become the default variant with
 * reason ERROR and TARGETING_KEY_MISSING: the value then depended on the missing id (OpenFeature's
 * meaning of the code), and the caller learns it rather than silently getting the default.
 */
import { bucketOf } from '../hashing/hash-bucket.js';
import {
  type AssignmentDetails,
  assignExperiment,
  createAssignmentDetails,
  NOT_ASSIGNED,
} from './assign-experiment.js';
import { flagError, serve } from './build-result.js';
import type { CompiledConfig } from './compile-config.js';
import { type CompiledFlag, EMPTY_METADATA } from './compile-flag.js';
import { type EvaluationContext, readAttribute, readUnitId } from './context.js';
import type { EvaluationResult, ExperimentAssignment, FlagMetadata } from './evaluation-result.js';
import { describeValue, explainCondition } from './explain-condition.js';
import { matchCondition } from './match-condition.js';
import { experimentExclusion, formatTime, ruleEntry, traceNotReached } from './rule-trace.js';
import type { StickyBucketStore } from './sticky-bucket-store.js';
import type { TraceEntry } from './trace.js';

/** Deeper prerequisite chains are treated as cycles and yield GENERAL. */
export const MAX_PREREQUISITE_DEPTH = 10;

const OVERRIDE_METADATA: FlagMetadata = Object.freeze({ override: true });

/** Thrown through nested prerequisite evaluations; `evaluate` turns it into GENERAL. */
export class PrerequisiteDepthError extends Error {}

/** What one call of evaluate/evaluateAll carries through the flags it resolves. */
export interface EvaluationState {
  readonly config: CompiledConfig;
  readonly context: EvaluationContext;
  now: number;
  readonly store: StickyBucketStore | undefined;
  /** Scratch space of experiment assignment, made on first use: most evaluations need none. */
  details: AssignmentDetails | null;
  depth: number;
}

function currentTime(state: EvaluationState): number {
  if (Number.isNaN(state.now)) state.now = Date.now();
  return state.now;
}

/** Whether the unit passes `flag`'s prerequisites; returns the failing one's index or -1. */
function failingPrerequisite(
  flag: CompiledFlag,
  state: EvaluationState,
  trace: TraceEntry[] | undefined,
): number {
  for (let i = 0; i < flag.prerequisites.length; i++) {
    const prerequisite = flag.prerequisites[i];
    if (prerequisite === undefined) continue;
    const dependency = state.config.flags.get(prerequisite.flagKey);
    let actual: string | undefined;
    let note = '';
    if (dependency === undefined) {
      note = ' (flag not found)';
    } else if (dependency.error !== null) {
      note = ' (flag is invalid)';
    } else {
      if (state.depth >= MAX_PREREQUISITE_DEPTH) {
        throw new PrerequisiteDepthError(
          `prerequisite chain deeper than ${MAX_PREREQUISITE_DEPTH} flags at "${prerequisite.flagKey}" (a cycle?)`,
        );
      }
      state.depth++;
      const result = resolveFlag(dependency, state, undefined);
      state.depth--;
      actual = result.variant;
      if (result.errorCode !== undefined) note = ` (${result.errorCode})`;
    }
    const passed = actual !== undefined && prerequisite.variants.includes(actual);
    if (trace !== undefined) {
      const required = prerequisite.variants.map((variant) => `"${variant}"`).join(', ');
      trace.push({
        kind: 'prerequisite',
        flagKey: prerequisite.flagKey,
        requiredVariants: prerequisite.variants,
        actualVariant: actual,
        passed,
        message: passed
          ? `prerequisite "${prerequisite.flagKey}" is "${actual}" (required: ${required})`
          : `prerequisite "${prerequisite.flagKey}" is ${actual === undefined ? 'unavailable' : `"${actual}"`}${note}, required one of ${required}: off variant "${flag.variantKeys[flag.offIndex]}"`,
      });
    }
    if (!passed) return i;
  }
  return -1;
}

function matchOverride(flag: CompiledFlag, state: EvaluationState, trace: TraceEntry[] | undefined): number {
  for (const override of flag.overrides) {
    const value = readAttribute(state.context, override.attribute);
    const key = typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
    const served = key === undefined ? undefined : override.variantByValue.get(key);
    if (trace !== undefined) {
      const name = override.attribute.name;
      trace.push(
        served === undefined
          ? {
              kind: 'override',
              attribute: name,
              value,
              matched: false,
              message: `no override for ${name} ${describeValue(value)}`,
            }
          : {
              kind: 'override',
              attribute: name,
              value,
              matched: true,
              variant: flag.variantKeys[served],
              message: `${name} ${describeValue(value)} is overridden to variant "${flag.variantKeys[served]}"`,
            },
      );
    }
    if (served !== undefined) return served;
  }
  return -1;
}

/** Resolves a usable flag for the unit in `state`: the heart of evaluation. */
export function resolveFlag(
  flag: CompiledFlag,
  state: EvaluationState,
  trace: TraceEntry[] | undefined,
): EvaluationResult {
  if (!flag.enabled) {
    trace?.push({
      kind: 'disabled',
      message: `flag is disabled: off variant "${flag.variantKeys[flag.offIndex]}"`,
    });
    if (trace === undefined && flag.offResult) return flag.offResult;
    return serve(flag, flag.offIndex, 'DISABLED', EMPTY_METADATA, trace);
  }
  if (flag.prerequisites.length > 0) {
    const failed = failingPrerequisite(flag, state, trace);
    if (failed >= 0) {
      return serve(
        flag,
        flag.offIndex,
        'TARGETING_MATCH',
        flag.prerequisites[failed]?.metadata ?? EMPTY_METADATA,
        trace,
      );
    }
  }
  if (flag.overrides.length > 0) {
    const overridden = matchOverride(flag, state, trace);
    if (overridden >= 0) return serve(flag, overridden, 'TARGETING_MATCH', OVERRIDE_METADATA, trace);
  }

  const context = state.context;
  let missingUnitAttribute: string | undefined;
  for (const rule of flag.rules) {
    if (rule.error !== null) {
      trace?.push(ruleEntry(rule, 'broken', `broken: ${rule.error}`));
      return flagError(flag, 'PARSE_ERROR', `rule "${rule.id}" is invalid: ${rule.error}`, trace);
    }
    if (rule.from !== Number.NEGATIVE_INFINITY || rule.until !== Number.POSITIVE_INFINITY) {
      const now = currentTime(state);
      if (now < rule.from) {
        trace?.push(
          ruleEntry(
            rule,
            'schedule_not_started',
            `scheduled from ${formatTime(rule.from)}, now is ${formatTime(now)}`,
          ),
        );
        continue;
      }
      if (now >= rule.until) {
        trace?.push(
          ruleEntry(
            rule,
            'schedule_ended',
            `scheduled until ${formatTime(rule.until)}, now is ${formatTime(now)}`,
          ),
        );
        continue;
      }
    }
    if (rule.condition !== null && !matchCondition(rule.condition, context)) {
      if (trace !== undefined) {
        const failure = explainCondition(rule.condition, context);
        trace.push(
          ruleEntry(rule, 'conditions_failed', failure?.message ?? 'conditions failed', { failure }),
        );
      }
      continue;
    }
    if (rule.type === 'force') {
      if (trace !== undefined) {
        trace.push(
          ruleEntry(rule, 'matched', `conditions matched: variant "${flag.variantKeys[rule.variantIndex]}"`, {
            variant: flag.variantKeys[rule.variantIndex],
          }),
        );
        traceNotReached(flag, rule, trace);
      }
      if (trace === undefined && rule.result) return rule.result;
      return serve(flag, rule.variantIndex, 'TARGETING_MATCH', rule.metadata, trace);
    }
    if (rule.type === 'rollout') {
      const unitAttribute = rule.unitAttribute;
      const salt = rule.salt;
      if (unitAttribute === null || salt === null) continue;
      const unitId = readUnitId(context, unitAttribute);
      if (unitId === undefined) {
        missingUnitAttribute ??= unitAttribute.name;
        trace?.push(
          ruleEntry(rule, 'unit_id_missing', `unit id attribute "${unitAttribute.name}" is absent`, {
            unitAttribute: unitAttribute.name,
          }),
        );
        continue;
      }
      const bucket = bucketOf(salt, unitId);
      if (bucket < rule.fraction) {
        if (trace !== undefined) {
          const variant = flag.variantKeys[rule.variantIndex];
          trace.push(
            ruleEntry(
              rule,
              'matched',
              `bucket ${bucket} < rollout fraction ${rule.fraction}: variant "${variant}"`,
              {
                unitAttribute: unitAttribute.name,
                bucket,
                threshold: rule.fraction,
                variant,
              },
            ),
          );
          traceNotReached(flag, rule, trace);
        }
        if (trace === undefined && rule.result) return rule.result;
        return serve(flag, rule.variantIndex, 'SPLIT', rule.metadata, trace);
      }
      trace?.push(
        ruleEntry(rule, 'outside_rollout', `bucket ${bucket} ≥ rollout fraction ${rule.fraction}`, {
          unitAttribute: unitAttribute.name,
          bucket,
          threshold: rule.fraction,
        }),
      );
      continue;
    }
    const experiment = rule.experiment;
    if (experiment === null) continue;
    state.details ??= createAssignmentDetails();
    const details = state.details;
    const variation = assignExperiment(experiment, context, state.store, details);
    if (variation < 0) {
      if (variation === NOT_ASSIGNED.unitIdMissing) missingUnitAttribute ??= experiment.hashAttribute;
      trace?.push(experimentExclusion(rule, variation, details));
      continue;
    }
    const variantIndex = rule.variantByVariation[variation] ?? flag.defaultIndex;
    const variationKey = experiment.variationKeys[variation] ?? '';
    const variant = flag.variantKeys[variantIndex] ?? '';
    const bucket = details.sticky ? undefined : details.bucket;
    if (trace !== undefined) {
      const how = details.sticky ? 'sticky assignment' : `bucket ${details.bucket}`;
      trace.push(
        ruleEntry(
          rule,
          'matched',
          `experiment "${experiment.key}": variation "${variationKey}" (${how}): variant "${variant}"`,
          {
            unitAttribute: experiment.hashAttribute,
            bucket,
            experimentKey: experiment.key,
            variationKey,
            variant,
          },
        ),
      );
      traceNotReached(flag, rule, trace);
    }
    const assignment: ExperimentAssignment = {
      flagKey: flag.key,
      ruleId: rule.id,
      experimentKey: experiment.key,
      variationKey,
      variant,
      unitId: details.unitId,
      hashAttribute: experiment.hashAttribute,
      bucket,
      sticky: details.sticky,
    };
    return serve(
      flag,
      variantIndex,
      'SPLIT',
      rule.variationMetadata[variation] ?? EMPTY_METADATA,
      trace,
      assignment,
    );
  }

  if (missingUnitAttribute !== undefined) {
    return flagError(
      flag,
      'TARGETING_KEY_MISSING',
      `no rule matched and a rollout or experiment needed unit id attribute "${missingUnitAttribute}", which is absent`,
      trace,
    );
  }
  trace?.push({
    kind: 'default',
    variant: flag.variantKeys[flag.defaultIndex] ?? '',
    message: flag.isStatic
      ? `no targeting: default variant "${flag.variantKeys[flag.defaultIndex]}"`
      : `no rule matched: default variant "${flag.variantKeys[flag.defaultIndex]}"`,
  });
  if (trace === undefined && flag.defaultResult) return flag.defaultResult;
  return serve(flag, flag.defaultIndex, flag.isStatic ? 'STATIC' : 'DEFAULT', EMPTY_METADATA, trace);
}
