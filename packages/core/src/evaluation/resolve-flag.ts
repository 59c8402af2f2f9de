/**
 * @module Resolving one flag for one unit.
 *
 * Order: kill switch → prerequisites → per-unit overrides → rules in order, first match wins →
 * default variant (README, "What is in it"; docs/sdk.md for reasons and error codes). A failed
 * prerequisite serves the off variant with reason PREREQUISITE_FAILED.
 *
 * Missing unit ids: a rollout or experiment rule whose hash attribute is absent is skipped
 * (trace outcome `unit_id_missing`) and later rules still get their chance, so a unit without
 * an id still gets forced or attribute-targeted values. Only if no rule matches and at least
 * one rule was skipped for a missing unit id does the result become the default variant with
 * reason ERROR and TARGETING_KEY_MISSING: the value then depended on the missing id (OpenFeature's
 * meaning of the code), and the caller learns it rather than silently getting the default.
 *
 * Every trace entry is built by the state's tracer (flag-trace.ts and rule-trace.ts, see
 * tracer.ts), behind a `trace !== undefined` test: evaluation without a trace builds no message and, for results every unit gets alike,
 * returns the compiled flag's shared result without allocating.
 */
import { bucketOf } from '../hashing/hash-bucket.js';
import {
  type AssignmentDetails,
  assignExperiment,
  createAssignmentDetails,
  NOT_ASSIGNED,
} from './assign-experiment.js';
import { flagError, variantResult } from './build-result.js';
import type { CompiledConfig } from './compile-config.js';
import { type CompiledFlag, type CompiledRule, EMPTY_METADATA } from './compile-flag.js';
import { type EvaluationContext, readAttribute, readUnitId } from './context.js';
import type { EvaluationResult, ExperimentAssignment, FlagMetadata } from './evaluation-result.js';
import { matchAll } from './match-condition.js';
import type { StickyBucketStore } from './sticky-bucket-store.js';
import type { TraceEntry } from './trace.js';
import type { Tracer } from './tracer.js';

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
  /** Builds the trace entries; never `null` when a trace is passed along with this state. */
  readonly tracer: Tracer | null;
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
    if (trace !== undefined) state.tracer?.prerequisite(trace, flag, prerequisite, actual, note, passed);
    if (!passed) return i;
  }
  return -1;
}

/** The variant index a per-unit override serves, or -1. */
function matchOverride(flag: CompiledFlag, state: EvaluationState, trace: TraceEntry[] | undefined): number {
  for (const override of flag.overrides) {
    const value = readAttribute(state.context, override.attribute);
    const key = typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
    const served = (key === undefined ? undefined : override.variantByValue.get(key)) ?? -1;
    if (trace !== undefined) state.tracer?.override(trace, flag, override, value, served);
    if (served >= 0) return served;
  }
  return -1;
}

/** The result of an experiment rule whose experiment assigned the unit to `variation`. */
function experimentResult(
  state: EvaluationState,
  flag: CompiledFlag,
  rule: CompiledRule,
  variation: number,
  details: AssignmentDetails,
  trace: TraceEntry[] | undefined,
): EvaluationResult {
  const experiment = rule.experiment;
  const variantIndex = rule.variantByVariation[variation] ?? flag.defaultIndex;
  const assignment: ExperimentAssignment = {
    flagKey: flag.key,
    ruleId: rule.id,
    experimentKey: experiment?.key ?? '',
    variationKey: experiment?.variationKeys[variation] ?? '',
    variant: flag.variantKeys[variantIndex] ?? '',
    unitId: details.unitId,
    hashAttribute: experiment?.hashAttribute ?? '',
    bucket: details.sticky ? undefined : details.bucket,
    sticky: details.sticky,
  };
  if (trace !== undefined) state.tracer?.assigned(trace, flag, rule, assignment);
  return variantResult(
    flag,
    variantIndex,
    'SPLIT',
    rule.variationMetadata[variation] ?? EMPTY_METADATA,
    trace,
    assignment,
  );
}

/** Resolves a usable flag for the unit in `state`: the heart of evaluation. */
export function resolveFlag(
  flag: CompiledFlag,
  state: EvaluationState,
  trace: TraceEntry[] | undefined,
): EvaluationResult {
  if (!flag.enabled) {
    if (trace === undefined && flag.offResult) return flag.offResult;
    if (trace !== undefined) state.tracer?.disabled(trace, flag);
    return variantResult(flag, flag.offIndex, 'DISABLED', EMPTY_METADATA, trace);
  }
  if (flag.prerequisites.length > 0) {
    const failed = failingPrerequisite(flag, state, trace);
    const prerequisite = failed >= 0 ? flag.prerequisites[failed] : undefined;
    if (prerequisite !== undefined) {
      if (trace === undefined) return prerequisite.result;
      return variantResult(flag, flag.offIndex, 'PREREQUISITE_FAILED', prerequisite.metadata, trace);
    }
  }
  if (flag.overrides.length > 0) {
    const overridden = matchOverride(flag, state, trace);
    if (overridden >= 0) return variantResult(flag, overridden, 'TARGETING_MATCH', OVERRIDE_METADATA, trace);
  }

  const context = state.context;
  let missingUnitAttribute: string | undefined;
  for (let rule = flag.firstRule; rule !== null; rule = rule.next) {
    if (rule.error !== null) {
      if (trace !== undefined) state.tracer?.broken(trace, rule);
      return flagError(flag, 'PARSE_ERROR', `rule "${rule.id}" is invalid: ${rule.error}`, trace);
    }
    if (rule.scheduled) {
      const now = currentTime(state);
      if (now < rule.from || now >= rule.until) {
        if (trace !== undefined) state.tracer?.outsideSchedule(trace, rule, now);
        continue;
      }
    }
    if (rule.conjuncts !== null && !matchAll(rule.conjuncts, context)) {
      if (trace !== undefined)
        state.tracer?.conditionsFailed(trace, rule, rule.condition ?? rule.conjuncts, context);
      continue;
    }
    if (rule.type === 'force') {
      if (trace === undefined && rule.result) return rule.result;
      if (trace !== undefined) state.tracer?.forced(trace, flag, rule);
      return variantResult(flag, rule.variantIndex, 'TARGETING_MATCH', rule.metadata, trace);
    }
    if (rule.type === 'rollout') {
      const unitAttribute = rule.unitAttribute;
      const salt = rule.salt;
      if (unitAttribute === null || salt === null) continue;
      const unitId = readUnitId(context, unitAttribute);
      if (unitId === undefined) {
        missingUnitAttribute ??= unitAttribute.name;
        if (trace !== undefined) state.tracer?.unitIdMissing(trace, rule, unitAttribute.name);
        continue;
      }
      const bucket = bucketOf(salt, unitId);
      if (trace !== undefined) state.tracer?.rollout(trace, flag, rule, unitAttribute.name, bucket);
      if (bucket >= rule.fraction) continue;
      if (trace === undefined && rule.result) return rule.result;
      return variantResult(flag, rule.variantIndex, 'SPLIT', rule.metadata, trace);
    }
    const experiment = rule.experiment;
    if (experiment === null) continue;
    state.details ??= createAssignmentDetails();
    const details = state.details;
    const variation = assignExperiment(experiment, context, state.store, details);
    if (variation >= 0) return experimentResult(state, flag, rule, variation, details, trace);
    if (variation === NOT_ASSIGNED.unitIdMissing) missingUnitAttribute ??= experiment.hashAttribute;
    if (trace !== undefined) state.tracer?.excluded(trace, rule, variation, details);
  }

  if (missingUnitAttribute !== undefined) {
    return flagError(
      flag,
      'TARGETING_KEY_MISSING',
      `no rule matched and a rollout or experiment needed unit id attribute "${missingUnitAttribute}", which is absent`,
      trace,
    );
  }
  if (trace === undefined && flag.defaultResult) return flag.defaultResult;
  if (trace !== undefined) state.tracer?.default(trace, flag);
  return variantResult(flag, flag.defaultIndex, flag.isStatic ? 'STATIC' : 'DEFAULT', EMPTY_METADATA, trace);
}
