/**
 * @module Trace entries for rules: what happened to each rule, in words and in fields. Only
 * called when a trace was requested, so that `resolveFlag`'s hot path builds no message.
 */
import { type AssignmentDetails, NOT_ASSIGNED } from './assign-experiment.js';
import type { CompiledCondition } from './compile-condition.js';
import type { CompiledFlag, CompiledRule } from './compile-flag.js';
import type { EvaluationContext } from './context.js';
import type { ExperimentAssignment } from './evaluation-result.js';
import { explainCondition } from './explain-condition.js';
import type { RuleOutcome, RuleTraceEntry, TraceEntry } from './trace.js';

export function formatTime(epoch: number): string {
  return Number.isFinite(epoch) ? new Date(epoch).toISOString() : String(epoch);
}

export function ruleEntry(
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

export function traceNotReached(flag: CompiledFlag, matched: CompiledRule, trace: TraceEntry[]): void {
  for (let i = matched.index + 1; i < flag.rules.length; i++) {
    const rule = flag.rules[i];
    if (rule !== undefined)
      trace.push(ruleEntry(rule, 'not_reached', `not evaluated: rule "${matched.id}" matched first`));
  }
}

export function experimentExclusion(
  rule: CompiledRule,
  code: number,
  details: AssignmentDetails,
): RuleTraceEntry {
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

export function traceBroken(trace: TraceEntry[], rule: CompiledRule): void {
  trace.push(ruleEntry(rule, 'broken', `broken: ${rule.error}`));
}

/** The rule's schedule excludes `now`: not started yet, or ended. */
export function traceOutsideSchedule(trace: TraceEntry[], rule: CompiledRule, now: number): void {
  trace.push(
    now < rule.from
      ? ruleEntry(
          rule,
          'schedule_not_started',
          `scheduled from ${formatTime(rule.from)}, now is ${formatTime(now)}`,
        )
      : ruleEntry(
          rule,
          'schedule_ended',
          `scheduled until ${formatTime(rule.until)}, now is ${formatTime(now)}`,
        ),
  );
}

export function traceConditionsFailed(
  trace: TraceEntry[],
  rule: CompiledRule,
  condition: CompiledCondition,
  context: EvaluationContext,
): void {
  const failure = explainCondition(condition, context);
  trace.push(ruleEntry(rule, 'conditions_failed', failure?.message ?? 'conditions failed', { failure }));
}

/** A force rule matched: it serves its variant, and the rules after it are not reached. */
export function traceForced(trace: TraceEntry[], flag: CompiledFlag, rule: CompiledRule): void {
  const variant = flag.variantKeys[rule.variantIndex];
  trace.push(ruleEntry(rule, 'matched', `conditions matched: variant "${variant}"`, { variant }));
  traceNotReached(flag, rule, trace);
}

export function traceUnitIdMissing(trace: TraceEntry[], rule: CompiledRule, unitAttribute: string): void {
  trace.push(
    ruleEntry(rule, 'unit_id_missing', `unit id attribute "${unitAttribute}" is absent`, { unitAttribute }),
  );
}

/** A rollout rule placed the unit's `bucket` inside (served) or outside its fraction. */
export function traceRollout(
  trace: TraceEntry[],
  flag: CompiledFlag,
  rule: CompiledRule,
  unitAttribute: string,
  bucket: number,
): void {
  const threshold = rule.fraction;
  if (bucket >= threshold) {
    trace.push(
      ruleEntry(rule, 'outside_rollout', `bucket ${bucket} ≥ rollout fraction ${threshold}`, {
        unitAttribute,
        bucket,
        threshold,
      }),
    );
    return;
  }
  const variant = flag.variantKeys[rule.variantIndex];
  trace.push(
    ruleEntry(rule, 'matched', `bucket ${bucket} < rollout fraction ${threshold}: variant "${variant}"`, {
      unitAttribute,
      bucket,
      threshold,
      variant,
    }),
  );
  traceNotReached(flag, rule, trace);
}

/** An experiment rule assigned the unit (described by `assignment`). */
export function traceAssigned(
  trace: TraceEntry[],
  flag: CompiledFlag,
  rule: CompiledRule,
  assignment: ExperimentAssignment,
): void {
  const how = assignment.sticky ? 'sticky assignment' : `bucket ${assignment.bucket}`;
  trace.push(
    ruleEntry(
      rule,
      'matched',
      `experiment "${assignment.experimentKey}": variation "${assignment.variationKey}" (${how}): variant "${assignment.variant}"`,
      {
        unitAttribute: assignment.hashAttribute,
        bucket: assignment.bucket,
        experimentKey: assignment.experimentKey,
        variationKey: assignment.variationKey,
        variant: assignment.variant,
      },
    ),
  );
  traceNotReached(flag, rule, trace);
}
