/**
 * @module Building evaluation results. Every result has every field, so that all results
 * share one hidden class and evaluation code stays monomorphic.
 */
import type { FlagValue } from '../model/flag-value.js';
import { type CompiledFlag, EMPTY_METADATA } from './compile-flag.js';
import type {
  ErrorCode,
  EvaluationResult,
  ExperimentAssignment,
  FlagMetadata,
  Reason,
} from './evaluation-result.js';
import type { TraceEntry } from './trace.js';

export function makeResult(
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
  return { flagKey, value, variant, reason, errorCode, errorMessage, flagMetadata, assignment, trace };
}

/** The result serving the flag's variant number `index`, with no error. */
export function variantResult(
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
export function flagError(
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
export function valuelessError(
  flagKey: string,
  errorCode: ErrorCode,
  message: string,
  defaultValue: FlagValue,
  trace: TraceEntry[] | undefined,
): EvaluationResult {
  trace?.push({ kind: 'error', errorCode, message });
  return makeResult(
    flagKey,
    defaultValue,
    undefined,
    'ERROR',
    errorCode,
    message,
    EMPTY_METADATA,
    undefined,
    trace,
  );
}
