/**
 * @module What an evaluation returns: OpenFeature resolution details plus assignment and trace.
 */
import type { FlagValue } from '../model/flag-value.js';
import type { TraceEntry } from './trace.js';

/**
 * OpenFeature resolution reasons used by Cleave. PREREQUISITE_FAILED (the off variant, served
 * because a prerequisite flag did not have a required variant) is a custom reason, which
 * OpenFeature allows.
 */
export const REASONS = [
  'STATIC',
  'TARGETING_MATCH',
  'SPLIT',
  'DEFAULT',
  'DISABLED',
  'PREREQUISITE_FAILED',
  'ERROR',
] as const;

export type Reason = (typeof REASONS)[number];

/** OpenFeature error codes used by Cleave. */
export type ErrorCode =
  | 'FLAG_NOT_FOUND'
  | 'TYPE_MISMATCH'
  | 'PARSE_ERROR'
  | 'TARGETING_KEY_MISSING'
  | 'GENERAL';

/** OpenFeature flag metadata: only the keys that apply are present. */
export interface FlagMetadata {
  /** The rule that decided the value. */
  readonly ruleId?: string;
  readonly ruleIndex?: number;
  /** The experiment that decided the value, and the unit's variation in it. */
  readonly experimentKey?: string;
  readonly variationKey?: string;
  readonly inExperiment?: boolean;
  /** A per-unit override decided the value. */
  readonly override?: boolean;
  /** The prerequisite flag whose failure served the off variant. */
  readonly prerequisiteFailed?: string;
}

/** What an SDK needs to log an exposure: who was assigned to what, and how. */
export interface ExperimentAssignment {
  readonly flagKey: string;
  readonly ruleId: string;
  readonly experimentKey: string;
  readonly variationKey: string;
  readonly variant: string;
  readonly unitId: string;
  readonly hashAttribute: string;
  /** The variation bucket; absent when a sticky assignment decided. */
  readonly bucket: number | undefined;
  readonly sticky: boolean;
}

/**
 * Read-only: a result that every unit gets alike (a default, a forced variant, a rollout's
 * variant; no trace) is built once per compiled config, shared between calls and frozen.
 */
export interface EvaluationResult {
  readonly flagKey: string;
  readonly value: FlagValue;
  /** The variant served; absent when no variant could be chosen (unknown flag, type mismatch). */
  readonly variant: string | undefined;
  readonly reason: Reason;
  readonly errorCode: ErrorCode | undefined;
  readonly errorMessage: string | undefined;
  readonly flagMetadata: FlagMetadata;
  /** Present when an experiment assigned the unit: log it as an exposure. */
  readonly assignment: ExperimentAssignment | undefined;
  /** Present when `explain: true` was passed. */
  readonly trace: TraceEntry[] | undefined;
}
