/**
 * @module Evaluating flags against a compiled config.
 *
 * Order (ARCHITECTURE.md): kill switch → prerequisites → per-unit overrides → rules in order,
 * first match wins → default variant. Evaluation never throws: anything unexpected becomes the
 * flag's default variant with error code GENERAL.
 *
 * Missing unit ids: a rollout or experiment rule whose hash attribute is absent is skipped
 * (trace outcome `unit_id_missing`) and later rules still get their chance, so a unit without
 * an id still gets forced or attribute-targeted values. Only if no rule matches and at least
 * one rule was skipped for a missing unit id does the result become the default variant with
 * reason ERROR and TARGETING_KEY_MISSING: the value then depended on the missing id (OpenFeature's
 * meaning of the code), and the caller learns it rather than silently getting the default.
 */

import { bucketOf } from '../hashing/hash-bucket.js';
import type { FlagType, FlagValue } from '../model/flag-value.js';
import {
  type AssignmentDetails,
  assignExperiment,
  createAssignmentDetails,
  NOT_ASSIGNED,
} from './assign-experiment.js';
import type { CompiledConfig } from './compile-config.js';
import { type CompiledFlag, type CompiledRule, EMPTY_METADATA } from './compile-flag.js';
import { type EvaluationContext, readAttribute, readUnitId } from './context.js';
import type {
  ErrorCode,
  EvaluationResult,
  ExperimentAssignment,
  FlagMetadata,
  Reason,
} from './evaluation-result.js';
import { describeValue, explainCondition } from './explain-condition.js';
import { matchCondition } from './match-condition.js';
import type { StickyBucketStore } from './sticky-bucket-store.js';
import type { RuleOutcome, RuleTraceEntry, TraceEntry } from './trace.js';

export interface EvaluateOptions {
  /** The type the caller expects; a flag of another type yields TYPE_MISMATCH. */
  readonly expectedType?: FlagType;
  /** Served when no flag variant can be (unknown flag, unusable config, type mismatch). Default null. */
  readonly defaultValue?: FlagValue;
  /** The time schedules are checked against, in epoch ms. Default: `Date.now()`, read only if needed. */
  readonly now?: number;
  /** Return a trace explaining every step and every rule. */
  readonly explain?: boolean;
  readonly stickyBucketStore?: StickyBucketStore;
}

export type EvaluateAllOptions = Omit<EvaluateOptions, 'expectedType' | 'defaultValue'>;

/** Deeper prerequisite chains are treated as cycles and yield GENERAL. */
export const MAX_PREREQUISITE_DEPTH = 10;

const OVERRIDE_METADATA: FlagMetadata = Object.freeze({ override: true });

class PrerequisiteDepthError extends Error {}

interface EvaluationState {
  readonly config: CompiledConfig;
  readonly context: EvaluationContext;
  now: number;
  readonly store: StickyBucketStore | undefined;
  readonly details: AssignmentDetails;
  depth: number;
}

function createState(
  config: CompiledConfig,
  context: unknown,
  options: EvaluateAllOptions | undefined,
): EvaluationState {
  return {
    config,
    context: typeof context === 'object' && context !== null ? (context as EvaluationContext) : {},
    now: typeof options?.now === 'number' ? options.now : Number.NaN,
    store: options?.stickyBucketStore,
    details: createAssignmentDetails(),
    depth: 0,
  };
}

function makeResult(
  flagKey: string,
  value: FlagValue,
  variant: string | undefined,
  reason: Reason,
  errorCode: ErrorCode | undefined,
  errorMessage: string | undefined,
  flagMetadata: FlagMetadata,
  assignment: ExperimentAssignment | undefined,
  trace: TraceEntry[] | undefined,
): EvaluationResult {
  // Every result has every field, so all results share one hidden class.
  return { flagKey, value, variant, reason, errorCode, errorMessage, flagMetadata, assignment, trace };
}

function serve(
  flag: CompiledFlag,
  index: number,
  reason: Reason,
  metadata: FlagMetadata,
  trace: TraceEntry[] | undefined,
  assignment?: ExperimentAssignment,
): EvaluationResult {
  return makeResult(
    flag.key,
    flag.values[index] ?? null,
    flag.variantKeys[index],
    reason,
    undefined,
    undefined,
    metadata,
    assignment,
    trace,
  );
}

/** An error served with the flag's default variant (the flag itself is usable). */
function flagError(
  flag: CompiledFlag,
  errorCode: ErrorCode,
  message: string,
  trace: TraceEntry[] | undefined,
): EvaluationResult {
  trace?.push({ kind: 'error', errorCode, message });
  return makeResult(
    flag.key,
    flag.values[flag.defaultIndex] ?? null,
    flag.variantKeys[flag.defaultIndex],
    'ERROR',
    errorCode,
    message,
    EMPTY_METADATA,
    undefined,
    trace,
  );
}

/** An error with no flag variant to serve: the caller's default value. */
function valuelessError(
  flagKey: string,
  errorCode: ErrorCode,
  message: string,
  options: EvaluateOptions | undefined,
  trace: TraceEntry[] | undefined,
): EvaluationResult {
  trace?.push({ kind: 'error', errorCode, message });
  return makeResult(
    flagKey,
    options?.defaultValue ?? null,
    undefined,
    'ERROR',
    errorCode,
    message,
    EMPTY_METADATA,
    undefined,
    trace,
  );
}

function currentTime(state: EvaluationState): number {
  if (Number.isNaN(state.now)) state.now = Date.now();
  return state.now;
}

function formatTime(epoch: number): string {
  return Number.isFinite(epoch) ? new Date(epoch).toISOString() : String(epoch);
}

function ruleEntry(
  rule: CompiledRule,
  outcome: RuleOutcome,
  message: string,
  extra?: Partial<RuleTraceEntry>,
): RuleTraceEntry {
  return {
    kind: 'rule',
    ruleId: rule.id,
    ruleIndex: rule.index,
    ruleType: rule.type,
    matched: outcome === 'matched',
    outcome,
    message: `rule "${rule.id}" (#${rule.index}, ${rule.type}): ${message}`,
    ...extra,
  };
}

function traceNotReached(flag: CompiledFlag, matched: CompiledRule, trace: TraceEntry[]): void {
  for (let i = matched.index + 1; i < flag.rules.length; i++) {
    const rule = flag.rules[i];
    if (rule !== undefined)
      trace.push(ruleEntry(rule, 'not_reached', `not evaluated: rule "${matched.id}" matched first`));
  }
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

function experimentExclusion(rule: CompiledRule, code: number, details: AssignmentDetails): RuleTraceEntry {
  const experiment = rule.experiment;
  const key = experiment?.key ?? '';
  const bucket = { bucket: details.bucket, threshold: details.threshold, experimentKey: key };
  switch (code) {
    case NOT_ASSIGNED.unitIdMissing:
      return ruleEntry(
        rule,
        'unit_id_missing',
        `unit id attribute "${experiment?.hashAttribute}" is absent`,
        {
          unitAttribute: experiment?.hashAttribute,
          experimentKey: key,
        },
      );
    case NOT_ASSIGNED.inHoldout:
      return ruleEntry(
        rule,
        'in_holdout',
        `in holdout "${details.holdoutKey}" (bucket ${details.bucket} < ${details.threshold}), excluded from experiment "${key}"`,
        { ...bucket, holdoutKey: details.holdoutKey },
      );
    case NOT_ASSIGNED.outsideLayer:
      return ruleEntry(
        rule,
        'outside_layer',
        `layer "${experiment?.layer?.key}" bucket ${details.bucket} is outside the experiment's range [${experiment?.layer?.start}, ${experiment?.layer?.end})`,
        bucket,
      );
    default:
      return ruleEntry(
        rule,
        'outside_coverage',
        `coverage bucket ${details.bucket} ≥ coverage ${details.threshold} of experiment "${key}"`,
        bucket,
      );
  }
}

function resolveFlag(
  flag: CompiledFlag,
  state: EvaluationState,
  trace: TraceEntry[] | undefined,
): EvaluationResult {
  if (!flag.enabled) {
    trace?.push({
      kind: 'disabled',
      message: `flag is disabled: off variant "${flag.variantKeys[flag.offIndex]}"`,
    });
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
  return serve(flag, flag.defaultIndex, flag.isStatic ? 'STATIC' : 'DEFAULT', EMPTY_METADATA, trace);
}

function evaluateKey(
  state: EvaluationState,
  flagKey: string,
  options: EvaluateOptions | undefined,
  trace: TraceEntry[] | undefined,
): EvaluationResult {
  const config = state.config;
  if (config.error !== null) {
    trace?.push({ kind: 'config', message: config.error });
    return valuelessError(flagKey, 'PARSE_ERROR', config.error, options, trace);
  }
  const flag = config.flags.get(flagKey);
  if (flag === undefined) {
    return valuelessError(flagKey, 'FLAG_NOT_FOUND', `flag "${flagKey}" not found`, options, trace);
  }
  if (flag.error !== null) {
    return valuelessError(
      flagKey,
      'PARSE_ERROR',
      `flag "${flagKey}" is invalid: ${flag.error}`,
      options,
      trace,
    );
  }
  const expectedType = options?.expectedType;
  if (expectedType !== undefined && expectedType !== flag.type) {
    return valuelessError(
      flagKey,
      'TYPE_MISMATCH',
      `flag "${flagKey}" is of type ${flag.type}, not ${expectedType}`,
      options,
      trace,
    );
  }
  state.depth = 0;
  return resolveFlag(flag, state, trace);
}

/** The result for an unexpected failure; must itself never throw. */
function unexpectedFailure(
  config: CompiledConfig,
  flagKey: string,
  error: unknown,
  options: EvaluateOptions | undefined,
  trace: TraceEntry[] | undefined,
): EvaluationResult {
  const message =
    error instanceof PrerequisiteDepthError
      ? error.message
      : `evaluation failed: ${error instanceof Error ? error.message : String(error)}`;
  try {
    const flag = config.flags.get(flagKey);
    if (flag !== undefined && flag.error === null) return flagError(flag, 'GENERAL', message, trace);
  } catch {
    // Not even a compiled config: fall through to the caller's default.
  }
  return valuelessError(String(flagKey), 'GENERAL', message, options, trace);
}

/**
 * Evaluates one flag for one unit. Never throws.
 *
 * @example
 * const compiled = compileConfig(payload);
 * const result = evaluate(compiled, 'new-checkout', { targetingKey: 'user-42', country: 'NL' });
 * // → { value: true, variant: 'on', reason: 'SPLIT',
 * //     flagMetadata: { experimentKey: 'checkout-test', variationKey: 'treatment', inExperiment: true, … },
 * //     assignment: { experimentKey: 'checkout-test', unitId: 'user-42', … } }
 *
 * // Why did this user get this value? Every rule, in order, with what failed:
 * evaluate(compiled, 'new-checkout', context, { explain: true }).trace;
 */
export function evaluate(
  config: CompiledConfig,
  flagKey: string,
  context: EvaluationContext,
  options?: EvaluateOptions,
): EvaluationResult {
  const trace: TraceEntry[] | undefined = options?.explain === true ? [] : undefined;
  try {
    return evaluateKey(createState(config, context, options), flagKey, options, trace);
  } catch (error) {
    return unexpectedFailure(config, flagKey, error, options, trace);
  }
}

/**
 * Evaluates every flag of the config for one unit, in payload order. Never throws.
 * Results with an `assignment` are the unit's experiment exposures.
 *
 * @example
 * const results = evaluateAll(compiled, { targetingKey: 'user-42' });
 * const exposures = results.flatMap((result) => (result.assignment ? [result.assignment] : []));
 */
export function evaluateAll(
  config: CompiledConfig,
  context: EvaluationContext,
  options?: EvaluateAllOptions,
): EvaluationResult[] {
  const results: EvaluationResult[] = [];
  let keys: readonly string[];
  let state: EvaluationState;
  try {
    keys = config.flagKeys;
    state = createState(config, context, options);
  } catch {
    return results;
  }
  for (const flagKey of keys) {
    const trace: TraceEntry[] | undefined = options?.explain === true ? [] : undefined;
    try {
      results.push(evaluateKey(state, flagKey, options, trace));
    } catch (error) {
      results.push(unexpectedFailure(config, flagKey, error, options, trace));
    }
  }
  return results;
}
