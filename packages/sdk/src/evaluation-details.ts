/**
 * @module What the SDK's `*Details` getters return: core's evaluation result with the value
 * typed as the caller asked, plus the results the SDK makes itself.
 */
import type { ErrorCode, EvaluationContext, EvaluationResult, FlagValue } from '@cleave/core/evaluation';

/** OpenFeature's code for "no configuration yet": core never needs it, the SDK does. */
export type SdkErrorCode = ErrorCode | 'PROVIDER_NOT_READY';

/**
 * Core's {@link EvaluationResult} with a typed value. On any error the value is the caller's
 * default (or, for a usable flag, its default variant) and `errorCode` says why.
 */
export interface EvaluationDetails<T extends FlagValue>
  extends Omit<EvaluationResult, 'value' | 'errorCode'> {
  readonly value: T;
  readonly errorCode: SdkErrorCode | undefined;
}

const NO_METADATA = Object.freeze({});

/** A result the SDK makes when it cannot evaluate: the caller's default with an error. */
export function defaultDetails<T extends FlagValue>(
  flagKey: string,
  defaultValue: T,
  errorCode: SdkErrorCode,
  errorMessage: string,
): EvaluationDetails<T> {
  return {
    flagKey: String(flagKey),
    value: defaultValue,
    variant: undefined,
    reason: 'ERROR',
    errorCode,
    errorMessage,
    flagMetadata: NO_METADATA,
    assignment: undefined,
    trace: undefined,
  };
}

/**
 * The client context when it has no attributes: frozen, so it never gains any, and recognised by
 * identity, so that merging under it needs no look at its keys.
 */
export const NO_CONTEXT: EvaluationContext = Object.freeze({});

/**
 * The client context overlaid with the call's context. A call context that is not a plain
 * object (garbage from untyped callers) is ignored rather than trusted.
 */
export function mergeContext(base: EvaluationContext, context: unknown): EvaluationContext {
  if (typeof context !== 'object' || context === null || Array.isArray(context)) {
    return base;
  }
  // One spread when the client context has no attributes (the usual case): V8 copies a single
  // spread on a fast path, while a second goes through its generic property copy, several times
  // slower and, measured, most of the SDK's cost per evaluation. (Symbol keys of an otherwise
  // empty client context are left out: no attribute can name them.)
  if (base === NO_CONTEXT || hasNoAttributes(base)) return { ...(context as EvaluationContext) };
  return { ...base, ...(context as EvaluationContext) };
}

function hasNoAttributes(context: EvaluationContext): boolean {
  for (const name in context) if (Object.hasOwn(context, name)) return false;
  return true;
}

/** The unit id of a context: its `targetingKey` as core reads unit ids (strings, finite numbers). */
export function unitIdOf(context: EvaluationContext): string | undefined {
  const value: unknown = context.targetingKey;
  if (typeof value === 'string') return value.length > 0 ? value : undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}
