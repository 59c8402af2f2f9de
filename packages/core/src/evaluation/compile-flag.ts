/**
 * @module Flags compiled for evaluation: variants indexed, rules pre-built, metadata frozen.
 *
 * A flag whose own shape is unusable (unknown default variant, values of the wrong type…)
 * compiles to a broken flag that evaluates to PARSE_ERROR. A rule that cannot be compiled
 * (unknown segment or experiment, bad regex) compiles to a broken rule: evaluation stops there
 * and serves the default variant with PARSE_ERROR, rather than skipping it and letting a later
 * rule serve a unit the broken rule was meant to catch.
 */
import { createHashSalt, type HashSalt } from '../hashing/hash-bucket.js';
import { defaultRolloutSeed, rolloutSalt } from '../hashing/hash-salts.js';
import { type FlagType, valueMatchesType } from '../model/flag-type.js';
import type { FlagValue } from '../model/flag-value.js';
import { parseFlagShell, parseRule } from '../model/payload-shape.js';
import type { Rule, RuleType } from '../model/rule.js';
import {
  type CompiledCondition,
  compileConditionList,
  conjunctsOf,
  type SegmentResolver,
} from './compile-condition.js';
import type { CompiledExperiment } from './compile-experiment.js';
import { type AttributePath, compileAttributePath, TARGETING_KEY } from './context.js';
import type { EvaluationResult, FlagMetadata, Reason } from './evaluation-result.js';
import { parseIsoDate } from './iso-date.js';

export interface CompiledRule {
  readonly id: string;
  readonly index: number;
  readonly type: RuleType;
  /** Why the rule could not be compiled; `null` for a usable rule. */
  readonly error: string | null;
  /** The rule's conditions, all required; for traces. */
  readonly condition: CompiledCondition | null;
  /** The same conditions as matching walks them: `conjunctsOf(condition)`. */
  readonly conjuncts: CompiledCondition | null;
  /**
   * The flag's next rule, `null` after the last. Evaluation follows these links rather than
   * iterating `CompiledFlag.rules`, an array being two more objects to wait for (see
   * `CompiledCondition`).
   */
  readonly next: CompiledRule | null;
  /**
   * Whether the rule has a schedule. A boolean beside the window, so that evaluating a rule
   * without one does not load `from` and `until`: V8 keeps double fields in boxes of their own,
   * one more memory access each (README, Benchmarks: workload `many` is bound by memory latency).
   */
  readonly scheduled: boolean;
  /** Active window in epoch ms: [from, until). */
  readonly from: number;
  readonly until: number;
  /** Force and rollout rules: the variant served. */
  readonly variantIndex: number;
  /** Rollout rules. */
  readonly fraction: number;
  readonly unitAttribute: AttributePath | null;
  readonly salt: HashSalt | null;
  /** Experiment rules: the experiment and, per variation index, the flag variant index. */
  readonly experiment: CompiledExperiment | null;
  readonly variantByVariation: readonly number[];
  readonly metadata: FlagMetadata;
  readonly variationMetadata: readonly FlagMetadata[];
  /**
   * Force and rollout rules: the result they serve, built once (frozen) so that evaluation
   * without a trace allocates nothing; `null` for experiment and broken rules.
   */
  readonly result: EvaluationResult | null;
}

export interface CompiledPrerequisite {
  readonly flagKey: string;
  readonly variants: readonly string[];
  /** Metadata of the off result this prerequisite causes when it fails. */
  readonly metadata: FlagMetadata;
  /** That off result (reason PREREQUISITE_FAILED), built once; shared like `CompiledFlag.offResult`. */
  readonly result: EvaluationResult;
}

export interface CompiledOverride {
  readonly attribute: AttributePath;
  readonly variantByValue: ReadonlyMap<string, number>;
}

export interface CompiledFlag {
  readonly key: string;
  readonly type: FlagType;
  /** Why the flag could not be compiled; `null` for a usable flag. */
  readonly error: string | null;
  readonly enabled: boolean;
  readonly variantKeys: readonly string[];
  readonly values: readonly FlagValue[];
  readonly defaultIndex: number;
  readonly offIndex: number;
  readonly prerequisites: readonly CompiledPrerequisite[];
  readonly overrides: readonly CompiledOverride[];
  readonly rules: readonly CompiledRule[];
  /** `rules[0]`, from which evaluation follows `next`; `null` without rules. */
  readonly firstRule: CompiledRule | null;
  /**
   * The result every unit gets without a trace, when nothing about the unit can change it: the
   * off result of a disabled flag, the default result of a static one; `null` otherwise. Lets
   * `evaluate` answer those flags without setting up an evaluation.
   */
  readonly constantResult: EvaluationResult | null;
  /** No prerequisites, overrides or rules: every unit gets the default (reason STATIC). */
  readonly isStatic: boolean;
  /** The default (STATIC or DEFAULT) and off (DISABLED) results, built once; `null` when broken. */
  readonly defaultResult: EvaluationResult | null;
  readonly offResult: EvaluationResult | null;
}

export interface FlagCompileContext {
  readonly resolveSegment: SegmentResolver;
  /** A compiled experiment, or the reason it cannot be used. */
  readonly experiment: (key: string) => CompiledExperiment | string | undefined;
}

/** Metadata of results no rule decided; shared and frozen so evaluation does not allocate it. */
export const EMPTY_METADATA: FlagMetadata = Object.freeze({});

// Shared by every flag without prerequisites or overrides: evaluation reads their length on every
// call, and one shared array stays in cache where a thousand flags' own empty arrays would not.
const NO_PREREQUISITES: readonly CompiledPrerequisite[] = Object.freeze([]);
const NO_OVERRIDES: readonly CompiledOverride[] = Object.freeze([]);

/** Deep-frozen copy: variant values are handed to callers on every evaluation and must not change. */
function freezeValue(value: FlagValue): FlagValue {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const items = value.map(freezeValue);
    Object.freeze(items);
    return items;
  }
  const copy: Record<string, FlagValue> = {};
  for (const [key, inner] of Object.entries(value)) copy[key] = freezeValue(inner);
  Object.freeze(copy);
  return copy;
}

/** A flag that evaluates to PARSE_ERROR. */
export function brokenFlag(key: string, error: string): CompiledFlag {
  // Fields in compileFlagUnsafe's order: one hidden class for every flag.
  return {
    error,
    constantResult: null,
    type: 'json',
    enabled: false,
    firstRule: null,
    prerequisites: NO_PREREQUISITES,
    overrides: NO_OVERRIDES,
    defaultResult: null,
    offResult: null,
    rules: [],
    key,
    variantKeys: [],
    values: [],
    defaultIndex: -1,
    offIndex: -1,
    isStatic: true,
  };
}

/**
 * Every compiled rule is built here, its fields always in this order, so that all rules share
 * one hidden class. Rules built with object spread (`{ ...base, … }`) got a hidden class each
 * once V8's clone cache gave up (after about 20 rules): `resolveFlag`'s loads of rule fields then
 * went megamorphic and missed the stub cache, and a flag of a 1,000-flag config evaluated several
 * times slower than one of a small config (README, Benchmarks: workload `many`).
 */
function createRule(rule: Omit<CompiledRule, 'conjuncts' | 'next'>): CompiledRule {
  // The fields evaluation reads of every rule come first, so they share the object's first cache line.
  return {
    error: rule.error,
    scheduled: rule.scheduled,
    conjuncts: conjunctsOf(rule.condition),
    type: rule.type,
    result: rule.result,
    next: null,
    condition: rule.condition,
    id: rule.id,
    index: rule.index,
    from: rule.from,
    until: rule.until,
    variantIndex: rule.variantIndex,
    fraction: rule.fraction,
    unitAttribute: rule.unitAttribute,
    salt: rule.salt,
    experiment: rule.experiment,
    variantByVariation: rule.variantByVariation,
    metadata: rule.metadata,
    variationMetadata: rule.variationMetadata,
  };
}

function brokenRule(id: string, index: number, type: RuleType, error: string): CompiledRule {
  return createRule({
    id,
    index,
    type,
    error,
    condition: null,
    scheduled: false,
    from: Number.NEGATIVE_INFINITY,
    until: Number.POSITIVE_INFINITY,
    variantIndex: -1,
    fraction: 0,
    unitAttribute: null,
    salt: null,
    experiment: null,
    variantByVariation: [],
    metadata: Object.freeze({ ruleId: id, ruleIndex: index }),
    variationMetadata: [],
    result: null,
  });
}

/** Issues as one line: `path: message; …` (`/` for the root). */
export function describeIssues(issues: readonly { path: string; message: string }[]): string {
  return issues.map((issue) => `${issue.path || '/'}: ${issue.message}`).join('; ');
}

function compileRule(
  flagKey: string,
  rule: Rule,
  index: number,
  variantIndex: ReadonlyMap<string, number>,
  values: readonly FlagValue[],
  variantKeys: readonly string[],
  context: FlagCompileContext,
): CompiledRule {
  const base = {
    id: rule.id,
    index,
    type: rule.type,
    error: null,
    condition: compileConditionList(rule.conditions, `/rules/${index}/conditions`, context.resolveSegment),
    scheduled: rule.schedule?.from !== undefined || rule.schedule?.until !== undefined,
    from: rule.schedule?.from === undefined ? Number.NEGATIVE_INFINITY : parseIsoDate(rule.schedule.from),
    until: rule.schedule?.until === undefined ? Number.POSITIVE_INFINITY : parseIsoDate(rule.schedule.until),
    metadata: Object.freeze({ ruleId: rule.id, ruleIndex: index }),
  };
  if (rule.type === 'experiment') {
    const experiment = context.experiment(rule.experimentKey);
    if (experiment === undefined) throw new Error(`unknown experiment "${rule.experimentKey}"`);
    if (typeof experiment === 'string')
      throw new Error(`experiment "${rule.experimentKey}" is invalid: ${experiment}`);
    const variantByVariation = experiment.variationKeys.map((variationKey) => {
      const variant = rule.variants?.[variationKey] ?? variationKey;
      const found = variantIndex.get(variant);
      if (found === undefined)
        throw new Error(`variation "${variationKey}" maps to unknown variant "${variant}"`);
      return found;
    });
    return createRule({
      ...base,
      variantIndex: -1,
      fraction: 0,
      unitAttribute: experiment.unitAttribute,
      salt: null,
      experiment,
      variantByVariation,
      variationMetadata: experiment.variationKeys.map((variationKey) =>
        Object.freeze({
          ruleId: rule.id,
          ruleIndex: index,
          experimentKey: experiment.key,
          variationKey,
          inExperiment: true,
        }),
      ),
      result: null,
    });
  }
  const served = variantIndex.get(rule.variant);
  if (served === undefined) throw new Error(`unknown variant "${rule.variant}"`);
  const isRollout = rule.type === 'rollout';
  return createRule({
    ...base,
    variantIndex: served,
    fraction: isRollout ? rule.fraction : 1,
    unitAttribute: isRollout ? compileAttributePath(rule.hashAttribute ?? TARGETING_KEY) : null,
    salt: isRollout ? createHashSalt(rolloutSalt(rule.seed ?? defaultRolloutSeed(flagKey, rule.id))) : null,
    experiment: null,
    variantByVariation: [],
    variationMetadata: [],
    result: sharedResult(
      flagKey,
      values,
      variantKeys,
      served,
      isRollout ? 'SPLIT' : 'TARGETING_MATCH',
      base.metadata,
    ),
  });
}

function ruleIdentity(raw: unknown, index: number): { id: string; type: RuleType } {
  const record = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  const id = typeof record.id === 'string' ? record.id : `#${index}`;
  const type = record.type === 'rollout' || record.type === 'experiment' ? record.type : 'force';
  return { id, type };
}

/** Compiles one payload flag (unvalidated input); never throws. */
export function compileFlag(raw: unknown, key: string, context: FlagCompileContext): CompiledFlag {
  try {
    return compileFlagUnsafe(raw, key, context);
  } catch (error) {
    // Only hostile input gets here (JSON nested deep enough to exhaust the stack while parsing).
    return brokenFlag(key, error instanceof Error ? error.message : String(error));
  }
}

function compileFlagUnsafe(raw: unknown, key: string, context: FlagCompileContext): CompiledFlag {
  // Rules are checked one by one, below, so that one bad rule breaks only itself.
  const parsed = parseFlagShell(raw);
  if (!parsed.ok) return brokenFlag(key, describeIssues(parsed.issues));
  const flag = parsed.value;
  const variantIndex = new Map<string, number>();
  for (const [index, variant] of flag.variants.entries()) {
    if (!valueMatchesType(variant.value, flag.type)) {
      return brokenFlag(key, `variant "${variant.key}" is not a ${flag.type}`);
    }
    if (!variantIndex.has(variant.key)) variantIndex.set(variant.key, index);
  }
  const defaultIndex = variantIndex.get(flag.defaultVariant);
  const offIndex = variantIndex.get(flag.offVariant);
  if (defaultIndex === undefined) return brokenFlag(key, `unknown default variant "${flag.defaultVariant}"`);
  if (offIndex === undefined) return brokenFlag(key, `unknown off variant "${flag.offVariant}"`);

  const overridesByAttribute = new Map<string, Map<string, number>>();
  for (const override of flag.overrides ?? []) {
    const served = variantIndex.get(override.variant);
    if (served === undefined) return brokenFlag(key, `override to unknown variant "${override.variant}"`);
    const attribute = override.attribute ?? TARGETING_KEY;
    const byValue = overridesByAttribute.get(attribute) ?? new Map<string, number>();
    for (const value of override.values) if (!byValue.has(value)) byValue.set(value, served);
    overridesByAttribute.set(attribute, byValue);
  }

  const variantKeys = flag.variants.map((variant) => variant.key);
  const values = flag.variants.map((variant) => freezeValue(variant.value));
  const rules = (flag.rules ?? []).map((rawRule, index): CompiledRule => {
    const identity = ruleIdentity(rawRule, index);
    try {
      const rule = parseRule(rawRule);
      if (!rule.ok) return brokenRule(identity.id, index, identity.type, describeIssues(rule.issues));
      return compileRule(flag.key, rule.value, index, variantIndex, values, variantKeys, context);
    } catch (error) {
      return brokenRule(
        identity.id,
        index,
        identity.type,
        error instanceof Error ? error.message : String(error),
      );
    }
  });

  const prerequisites =
    (flag.prerequisites ?? []).length === 0
      ? NO_PREREQUISITES
      : (flag.prerequisites ?? []).map((prerequisite): CompiledPrerequisite => {
          const metadata: FlagMetadata = Object.freeze({ prerequisiteFailed: prerequisite.flagKey });
          return {
            flagKey: prerequisite.flagKey,
            variants: prerequisite.variants,
            metadata,
            result: sharedResult(flag.key, values, variantKeys, offIndex, 'PREREQUISITE_FAILED', metadata),
          };
        });
  const overrides =
    overridesByAttribute.size === 0
      ? NO_OVERRIDES
      : [...overridesByAttribute].map(([attribute, variantByValue]) => ({
          attribute: compileAttributePath(attribute),
          variantByValue,
        }));
  // Each rule is new and this flag's alone: linking cannot join two flags' lists.
  for (let i = 0; i + 1 < rules.length; i++) {
    (rules[i] as { next: CompiledRule | null }).next = rules[i + 1] ?? null;
  }
  const isStatic = prerequisites.length === 0 && overrides.length === 0 && rules.length === 0;
  const defaultResult = sharedResult(
    flag.key,
    values,
    variantKeys,
    defaultIndex,
    isStatic ? 'STATIC' : 'DEFAULT',
    EMPTY_METADATA,
  );
  const offResult = sharedResult(flag.key, values, variantKeys, offIndex, 'DISABLED', EMPTY_METADATA);
  // The fields evaluation reads of every flag come first, so they share the object's first cache
  // line: with many flags, evaluation is bound by memory latency (README, Benchmarks).
  return {
    error: null,
    constantResult: !flag.enabled ? offResult : isStatic ? defaultResult : null,
    type: flag.type,
    enabled: flag.enabled,
    firstRule: rules[0] ?? null,
    prerequisites,
    overrides,
    defaultResult,
    offResult,
    rules,
    key: flag.key,
    variantKeys,
    values,
    defaultIndex,
    offIndex,
    isStatic,
  };
}

/**
 * A result served to every unit alike, frozen: callers share it (its values are frozen already).
 *
 * Its own object literal, in `makeResult`'s field order (so the same hidden class), and not a call
 * of `makeResult`: V8 tracks where objects are allocated, and once the long-lived results made here
 * shared an allocation site with the short-lived per-call ones, it pretenured that site and every
 * experiment evaluation allocated its result in old space, doubling its time (README, Benchmarks).
 */
function sharedResult(
  flagKey: string,
  values: readonly FlagValue[],
  variantKeys: readonly string[],
  index: number,
  reason: Reason,
  metadata: FlagMetadata,
): EvaluationResult {
  return Object.freeze({
    flagKey,
    value: values[index] ?? null,
    variant: variantKeys[index],
    reason,
    errorCode: undefined,
    errorMessage: undefined,
    flagMetadata: metadata,
    assignment: undefined,
    trace: undefined,
  });
}
