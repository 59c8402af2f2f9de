/**
 * @module features/sdk-delivery/evaluation-usage
 * Which flags the server evaluated, reported to whoever keeps track of flag usage (the flags
 * feature, for stale-flag clean-up). Keys that name no flag are left out: clients choose them.
 */
import type { EvaluationResult } from '@cleave/core';

export interface EvaluationUsage {
  seen(projectId: string, environmentId: string, flagKeys: Iterable<string>): void;
  /** One flag was evaluated (OFREP single flag): `seen` without an iterable per request. */
  seenOne(projectId: string, environmentId: string, flagKey: string): void;
  /** Writes what is pending (on shutdown). */
  flush(): Promise<void>;
  onFlushError(listener: (error: unknown) => void): void;
}

/** The keys of results that name a flag: an array, not a generator (one allocation per request). */
export function evaluatedFlagKeys(results: readonly EvaluationResult[]): string[] {
  const keys: string[] = [];
  for (const result of results) if (result.errorCode !== 'FLAG_NOT_FOUND') keys.push(result.flagKey);
  return keys;
}
