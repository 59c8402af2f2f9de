/**
 * @module Trace entries for rules: what happened to each rule, in words and in fields.
 */
import { type AssignmentDetails, NOT_ASSIGNED } from './assign-experiment.js';
import type { CompiledFlag, CompiledRule } from './compile-flag.js';
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
