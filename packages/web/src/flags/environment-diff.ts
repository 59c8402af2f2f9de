/**
 * @module flags/environment-diff
 * What saving an environment's draft will change, as lines a person can check before saving:
 * rules by id (added, removed, edited field by field, and the new order when it changes), then the
 * kill switch, prerequisites and overrides field by field. Positions are 1-based, as shown.
 */
import type { Flag } from './queries.js';

export type EnvironmentState = Flag['environments'][string];

export interface DiffLine {
  kind: 'added' | 'removed' | 'changed' | 'moved';
  /** Where, in words: `rule beta › variant`, `override 2 › values`. */
  where: string;
  before?: unknown;
  after?: unknown;
}

type Json = unknown;

function isObject(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function sameJson(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((item, index) => sameJson(item, b[index]));
  if (isObject(a) && isObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((key) => sameJson(a[key], b[key]));
  }
  return false;
}

/** Field-by-field differences of two JSON values; arrays of equal length element by element. */
export function jsonDiff(before: Json, after: Json, where: string): DiffLine[] {
  if (sameJson(before, after)) return [];
  if (before === undefined) return [{ kind: 'added', where, after }];
  if (after === undefined) return [{ kind: 'removed', where, before }];
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((key) => jsonDiff(before[key], after[key], `${where} › ${key}`));
  }
  return [{ kind: 'changed', where, before, after }];
}

/** Lists compared by position: an item at a position both have is diffed field by field. */
function listDiff(before: readonly Json[], after: readonly Json[], noun: string): DiffLine[] {
  const lines: DiffLine[] = [];
  for (let index = 0; index < Math.max(before.length, after.length); index += 1)
    lines.push(...jsonDiff(before[index], after[index], `${noun} ${index + 1}`));
  return lines;
}

type Rule = NonNullable<EnvironmentState['rules']>[number];

function ruleDiff(before: readonly Rule[], after: readonly Rule[]): DiffLine[] {
  const lines: DiffLine[] = [];
  const beforeById = new Map(before.map((rule) => [rule.id, rule]));
  const afterById = new Map(after.map((rule) => [rule.id, rule]));
  for (const rule of before)
    if (!afterById.has(rule.id)) lines.push({ kind: 'removed', where: `rule ${rule.id}`, before: rule });
  after.forEach((rule, index) => {
    const old = beforeById.get(rule.id);
    if (!old) lines.push({ kind: 'added', where: `rule ${rule.id} (position ${index + 1})`, after: rule });
    else lines.push(...jsonDiff(old, rule, `rule ${rule.id}`));
  });
  const keptBefore = before.map((rule) => rule.id).filter((id) => afterById.has(id));
  const keptAfter = after.map((rule) => rule.id).filter((id) => beforeById.has(id));
  if (!sameJson(keptBefore, keptAfter))
    lines.push({ kind: 'moved', where: 'rule order', before: keptBefore, after: keptAfter });
  return lines;
}

export function diffEnvironment(before: EnvironmentState, after: EnvironmentState): DiffLine[] {
  return [
    ...jsonDiff(before.enabled, after.enabled, 'on'),
    ...ruleDiff(before.rules ?? [], after.rules ?? []),
    ...listDiff(before.prerequisites ?? [], after.prerequisites ?? [], 'prerequisite'),
    ...listDiff(before.overrides ?? [], after.overrides ?? [], 'override'),
  ];
}

/** A value as it reads in a diff line. */
export function showValue(value: unknown): string {
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value.join(', ');
  return JSON.stringify(value);
}

const FIELDS = ['enabled', 'prerequisites', 'overrides', 'rules'] as const;

/**
 * The draft moved onto `latest` (the state saved since the draft began from `base`): fields only
 * the draft changed keep the draft's value, fields only others changed take theirs. Undefined when
 * both changed one field differently: the draft must be discarded or saved into a conflict.
 */
export function rebaseDraft(
  base: EnvironmentState,
  draft: EnvironmentState,
  latest: EnvironmentState,
): EnvironmentState | undefined {
  const result: Record<string, unknown> = { ...latest };
  for (const field of FIELDS) {
    const ours = !sameJson(base[field], draft[field]);
    const theirs = !sameJson(base[field], latest[field]);
    if (ours && theirs && !sameJson(draft[field], latest[field])) return undefined;
    if (ours) result[field] = draft[field];
  }
  return result as EnvironmentState;
}
