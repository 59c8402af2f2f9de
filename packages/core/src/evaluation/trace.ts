/**
 * @module Explain traces: why a unit got its value, including every rule that did not match.
 */
import type { RuleType } from '../model/rule.js';
import type { ContextValue } from './context.js';
import type { ErrorCode } from './evaluation-result.js';
import type { ConditionFailure } from './explain-condition.js';

/** What happened to one rule. */
export type RuleOutcome =
  | 'matched'
  | 'conditions_failed'
  | 'schedule_not_started'
  | 'schedule_ended'
  | 'unit_id_missing'
  | 'outside_rollout'
  | 'in_holdout'
  | 'outside_layer'
  | 'outside_coverage'
  | 'broken'
  /** An earlier rule matched first. */
  | 'not_reached';

export interface RuleTraceEntry {
  readonly kind: 'rule';
  readonly ruleId: string;
  readonly ruleIndex: number;
  readonly ruleType: RuleType;
  readonly matched: boolean;
  readonly outcome: RuleOutcome;
  readonly message: string;
  /** For `conditions_failed`: the failing condition, its attribute and the unit's value. */
  readonly failure?: ConditionFailure;
  /** The attribute used as unit id (rollout and experiment rules). */
  readonly unitAttribute?: string;
  /** The unit's bucket and the bound it was compared with (rollout, coverage, layer, holdout). */
  readonly bucket?: number;
  readonly threshold?: number;
  readonly experimentKey?: string;
  readonly variationKey?: string;
  readonly holdoutKey?: string;
  readonly variant?: string;
}

export type TraceEntry =
  | { readonly kind: 'config'; readonly message: string }
  | { readonly kind: 'disabled'; readonly message: string }
  | {
      readonly kind: 'prerequisite';
      readonly flagKey: string;
      readonly requiredVariants: readonly string[];
      readonly actualVariant: string | undefined;
      readonly passed: boolean;
      readonly message: string;
    }
  | {
      readonly kind: 'override';
      readonly attribute: string;
      readonly value: ContextValue | undefined;
      readonly matched: boolean;
      readonly variant?: string;
      readonly message: string;
    }
  | RuleTraceEntry
  | { readonly kind: 'default'; readonly variant: string; readonly message: string }
  | { readonly kind: 'error'; readonly errorCode: ErrorCode; readonly message: string };
