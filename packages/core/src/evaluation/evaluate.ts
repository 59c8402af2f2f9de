/**
 * @module Evaluating flags against a compiled config: the public entry points.
 *
 * Evaluation never throws: an unknown flag, an unusable config or a type mismatch yields the
 * caller's default value with an error code; anything unexpected inside a usable flag yields
 * its default variant with GENERAL. See resolve-flag.ts for the order of steps and the
 * TARGETING_KEY_MISSING policy.
 */
import type { FlagType, FlagValue } from '../model/flag-value.js';
import { flagError, valuelessError } from './build-result.js';
import type { CompiledConfig } from './compile-config.js';
import type { CompiledFlag } from './compile-flag.js';
import type { EvaluationContext } from './context.js';
import type { EvaluationResult } from './evaluation-result.js';
import { EXPLAIN_TRACER } from './explain-tracer.js';
import { type EvaluationState, PrerequisiteDepthError, resolveFlag } from './resolve-flag.js';
import type { StickyBucketStore } from './sticky-bucket-store.js';
import type { TraceEntry } from './trace.js';
import type { Tracer } from './tracer.js';

export { MAX_PREREQUISITE_DEPTH } from './resolve-flag.js';

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

const NO_CONTEXT: EvaluationContext = Object.freeze({});

function contextOf(context: unknown): EvaluationContext {
  return typeof context === 'object' && context !== null ? (context as EvaluationContext) : NO_CONTEXT;
}

function createState(
  config: CompiledConfig,
  context: unknown,
  options: EvaluateAllOptions | undefined,
  tracer: Tracer | null,
): EvaluationState {
  return {
    config,
    context: contextOf(context),
    now: typeof options?.now === 'number' ? options.now : Number.NaN,
    store: options?.stickyBucketStore,
    details: null,
    depth: 0,
    tracer,
  };
}

/**
 * The state `evaluate` reuses from call to call, with its experiment scratch space: a state (and,
 * for experiments, the scratch object and its number boxes) per call was a measurable share of an
 * evaluation. Taken while a call runs, so a call made meanwhile (a context getter that evaluates)
 * makes its own; given back cleared of the caller's context.
 */
let spareState: EvaluationState | null = null;

function takeState(
  config: CompiledConfig,
  context: unknown,
  options: EvaluateOptions | undefined,
  tracer: Tracer | null,
): EvaluationState {
  const state = spareState;
  if (state === null) return createState(config, context, options, tracer);
  spareState = null;
  const writable = state as { -readonly [Field in keyof EvaluationState]: EvaluationState[Field] };
  writable.config = config;
  writable.context = contextOf(context);
  writable.now = typeof options?.now === 'number' ? options.now : Number.NaN;
  writable.store = options?.stickyBucketStore;
  writable.depth = 0;
  writable.tracer = tracer;
  return state;
}

function giveBack(state: EvaluationState): void {
  (state as { context: EvaluationContext }).context = NO_CONTEXT;
  (state as { store: EvaluationState['store'] }).store = undefined;
  spareState = state;
}

/**
 * The flag `flagKey` names, if it can be resolved: the config and the flag are usable and the
 * flag is of the expected type. Else `undefined`, and `unusableResult` says why. Split so that
 * the common path stays small enough for V8 to inline into `evaluate`.
 */
function usableFlag(
  config: CompiledConfig,
  flagKey: string,
  expectedType: FlagType | undefined,
): CompiledFlag | undefined {
  // typeof checks, not `!== null`: a caller may hand in something that is not a CompiledConfig.
  if (typeof config.error === 'string') return undefined;
  const flag = config.flags.get(flagKey);
  if (flag === undefined || typeof flag.error === 'string') return undefined;
  return expectedType === undefined || expectedType === flag.type ? flag : undefined;
}

/** The error result for a flag `usableFlag` refused. */
function unusableResult(
  config: CompiledConfig,
  flagKey: string,
  options: EvaluateOptions | undefined,
  trace: TraceEntry[] | undefined,
): EvaluationResult {
  const defaultValue = options?.defaultValue ?? null;
  if (typeof config.error === 'string') {
    trace?.push({ kind: 'config', message: config.error });
    return valuelessError(flagKey, 'PARSE_ERROR', config.error, defaultValue, trace);
  }
  const flag = config.flags.get(flagKey);
  if (flag === undefined) {
    return valuelessError(flagKey, 'FLAG_NOT_FOUND', `flag "${flagKey}" not found`, defaultValue, trace);
  }
  if (typeof flag.error === 'string') {
    const message = `flag "${flagKey}" is invalid: ${flag.error}`;
    return valuelessError(flagKey, 'PARSE_ERROR', message, defaultValue, trace);
  }
  const message = `flag "${flagKey}" is of type ${flag.type}, not ${options?.expectedType}`;
  return valuelessError(flagKey, 'TYPE_MISMATCH', message, defaultValue, trace);
}

/** The result every unit gets from `flag` when no trace is wanted, if there is one. */
function constantResult(flag: CompiledFlag, trace: TraceEntry[] | undefined): EvaluationResult | null {
  // `?? null`: a caller may hand in something that is not a CompiledConfig, its flags without the field.
  return trace === undefined ? (flag.constantResult ?? null) : null;
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
  return valuelessError(String(flagKey), 'GENERAL', message, options?.defaultValue ?? null, trace);
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
  return evaluateWith(EXPLAIN_TRACER, config, flagKey, context, options);
}

/**
 * `evaluate` without the trace: `explain` is ignored. For code that never explains (the SDK),
 * whose bundles then leave the trace builders out (tracer.ts).
 *
 * @example
 * evaluateWithoutTrace(compiled, 'new-checkout', { targetingKey: 'user-42' }).value;
 */
export function evaluateWithoutTrace(
  config: CompiledConfig,
  flagKey: string,
  context: EvaluationContext,
  options?: EvaluateOptions,
): EvaluationResult {
  return evaluateWith(null, config, flagKey, context, options);
}

function evaluateWith(
  tracer: Tracer | null,
  config: CompiledConfig,
  flagKey: string,
  context: EvaluationContext,
  options: EvaluateOptions | undefined,
): EvaluationResult {
  const trace: TraceEntry[] | undefined = tracer !== null && options?.explain === true ? [] : undefined;
  let state: EvaluationState | null = null;
  try {
    const flag = usableFlag(config, flagKey, options?.expectedType);
    if (flag === undefined) return unusableResult(config, flagKey, options, trace);
    const constant = constantResult(flag, trace);
    if (constant !== null) return constant;
    state = takeState(config, context, options, tracer);
    return resolveFlag(flag, state, trace);
  } catch (error) {
    return unexpectedFailure(config, flagKey, error, options, trace);
  } finally {
    if (state !== null) giveBack(state);
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
    keys = Array.isArray(config.flagKeys) ? config.flagKeys : [];
    state = createState(config, context, options, EXPLAIN_TRACER);
  } catch {
    return results;
  }
  for (const flagKey of keys) {
    const trace: TraceEntry[] | undefined = options?.explain === true ? [] : undefined;
    try {
      const flag = usableFlag(config, flagKey, undefined);
      if (flag === undefined) {
        results.push(unusableResult(config, flagKey, options, trace));
      } else {
        state.depth = 0;
        results.push(constantResult(flag, trace) ?? resolveFlag(flag, state, trace));
      }
    } catch (error) {
      results.push(unexpectedFailure(config, flagKey, error, options, trace));
    }
  }
  return results;
}
