/**
 * @module features/flags/staleness
 * Which flags are ready for clean-up in an environment: a flag is stale when, for the last `days`
 * days, it has been unchanged while serving one variant to every unit (fully rolled out, or off),
 * or the server has not evaluated it. Flags younger than `days` are never stale.
 */
import type { Flag, FlagEnvironment } from '@cleave/core';

export type StaleReason = 'fully_rolled_out' | 'not_evaluated';

export interface StaleFlag {
  key: string;
  name: string;
  reasons: StaleReason[];
  /** The one variant every unit gets, when there is one. */
  servedVariant: string | null;
  /** The latest change to the flag in this environment (or its creation). */
  lastChangedAt: string;
  /** The latest server-side evaluation in this environment; null: none recorded. */
  lastEvaluatedAt: string | null;
}

/**
 * The variant every unit gets in this state, or undefined when units can get different ones.
 * Conservative: a rule with conditions or a schedule may or may not match, an experiment splits.
 */
export function singleServedVariant(flag: Flag, state: FlagEnvironment): string | undefined {
  if (!state.enabled) return flag.offVariant;
  const served = new Set<string>();
  if ((state.prerequisites ?? []).length > 0) served.add(flag.offVariant);
  for (const override of state.overrides ?? []) served.add(override.variant);
  let everyUnitMatched = false;
  for (const rule of state.rules ?? []) {
    if (rule.type === 'experiment') return undefined;
    if (rule.type === 'rollout' && rule.fraction === 0) continue;
    served.add(rule.variant);
    const unconditional = (rule.conditions ?? []).length === 0 && rule.schedule === undefined;
    if (unconditional && (rule.type === 'force' || rule.fraction >= 1)) {
      everyUnitMatched = true;
      break;
    }
  }
  if (!everyUnitMatched) served.add(flag.defaultVariant);
  return served.size === 1 ? [...served][0] : undefined;
}

export interface StalenessInput {
  key: string;
  name: string;
  flag: Flag;
  state: FlagEnvironment;
  createdAt: string;
  lastChangedAt: string | undefined;
  lastEvaluatedAt: string | undefined;
}

/** The flag as a clean-up candidate, or undefined when it is in use or too young to tell. */
export function staleness(input: StalenessInput, cutoff: Date): StaleFlag | undefined {
  const before = (time: string) => new Date(time).getTime() < cutoff.getTime();
  if (!before(input.createdAt)) return undefined;
  const lastChangedAt = input.lastChangedAt ?? input.createdAt;
  const servedVariant = singleServedVariant(input.flag, input.state);
  const reasons: StaleReason[] = [];
  if (servedVariant !== undefined && before(lastChangedAt)) reasons.push('fully_rolled_out');
  if (input.lastEvaluatedAt === undefined || before(input.lastEvaluatedAt)) reasons.push('not_evaluated');
  if (reasons.length === 0) return undefined;
  return {
    key: input.key,
    name: input.name,
    reasons,
    servedVariant: servedVariant ?? null,
    lastChangedAt,
    lastEvaluatedAt: input.lastEvaluatedAt ?? null,
  };
}
