/**
 * @module flags/rule-draft
 * A targeting rule as the rule form holds it (strings from inputs), its translation into the API's
 * rule (condition values typed by operator, the rollout percentage as a fraction, the schedule as
 * ISO times) and back, for editing a saved rule.
 */
import { type components, conditionOperators, type paths } from '../api/schema.gen.js';
import { conditionDraftFrom } from './condition-drafts.js';

/** What the API accepts, from its OpenAPI document (generated), in the document's order. */
export const CONDITION_OPERATORS = conditionOperators;
/** Groups: all of their conditions hold, any does, or not all of them do. */
export const GROUP_OPERATORS = ['all', 'any', 'not'] as const;
export type GroupOperator = (typeof GROUP_OPERATORS)[number];
export type ConditionOperator = (typeof CONDITION_OPERATORS)[number] | 'segment' | GroupOperator;

export interface ConditionDraft {
  attribute: string;
  operator: ConditionOperator;
  /** Comma-separated for `in`/`not_in`; a segment key for `segment`. */
  value: string;
  /** A group's conditions (`all`, `any`, `not`). */
  children?: ConditionDraft[];
}

export function isGroup(draft: ConditionDraft): draft is ConditionDraft & { operator: GroupOperator } {
  return (GROUP_OPERATORS as readonly string[]).includes(draft.operator);
}

/**
 * The JSON Pointer (as the API names it) of a group's `index`-th condition, from the group's own:
 * `not` holds one condition, or an `all` of several.
 */
export function childPointer(groupPointer: string, group: ConditionDraft, index: number): string {
  if (group.operator !== 'not') return `${groupPointer}/${group.operator}/${index}`;
  return (group.children?.length ?? 0) === 1 ? `${groupPointer}/not` : `${groupPointer}/not/all/${index}`;
}

export interface RuleDraft {
  id: string;
  type: 'force' | 'rollout' | 'experiment';
  variant: string;
  /** 0–100, rollout only. */
  percentage: number;
  experimentKey: string;
  conditions: ConditionDraft[];
  /** `datetime-local` text (the browser's time zone); empty: no bound. */
  scheduleFrom: string;
  scheduleUntil: string;
}

type Scalar = string | number | boolean;
export type ConditionBody = components['schemas']['ConditionInput'];

/** Numbers and booleans typed in a value box are meant as such (`age gt 18`, `beta eq true`). */
function scalar(text: string): Scalar {
  const trimmed = text.trim();
  if (trimmed === 'true' || trimmed === 'false') return trimmed === 'true';
  if (trimmed !== '' && Number.isFinite(Number(trimmed))) return Number(trimmed);
  return trimmed;
}

export function conditionBody(draft: ConditionDraft): ConditionBody {
  if (draft.operator === 'segment') return { segment: draft.value.trim() };
  if (draft.operator === 'all' || draft.operator === 'any' || draft.operator === 'not')
    return groupBody(draft.operator, (draft.children ?? []).map(conditionBody));
  const attribute = draft.attribute.trim();
  switch (draft.operator) {
    case 'exists':
    case 'not_exists':
      return { attribute, operator: draft.operator };
    case 'in':
    case 'not_in':
      return {
        attribute,
        operator: draft.operator,
        value: draft.value
          .split(',')
          .map((item) => item.trim())
          .filter(Boolean)
          .map(scalar),
      };
    case 'starts_with':
    case 'ends_with':
    case 'matches':
    case 'semver_eq':
    case 'semver_neq':
    case 'semver_gt':
    case 'semver_gte':
    case 'semver_lt':
    case 'semver_lte':
      return { attribute, operator: draft.operator, value: draft.value };
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      // Numbers, or dates as ISO text.
      const value = scalar(draft.value);
      return {
        attribute,
        operator: draft.operator,
        value: typeof value === 'boolean' ? String(value) : value,
      };
    }
    default:
      return { attribute, operator: draft.operator, value: scalar(draft.value) };
  }
}

function groupBody(operator: GroupOperator, children: ConditionBody[]): ConditionBody {
  switch (operator) {
    case 'all':
      return { all: children };
    case 'any':
      return { any: children };
    case 'not': {
      const [only] = children;
      // An empty group goes as one, for the API to name what is missing.
      return { not: children.length === 1 && only ? only : { all: children } };
    }
  }
}

export type RuleBody =
  paths['/api/v1/projects/{projectKey}/flags/{key}/environments/{environmentKey}/rules']['post']['requestBody']['content']['application/json']['rule'];

/** `datetime-local` text as an ISO instant (text that is no time is passed on for the API to name). */
export function isoFromLocal(text: string): string {
  const time = new Date(text);
  return Number.isNaN(time.getTime()) ? text : time.toISOString();
}

/** An ISO instant as `datetime-local` text in the browser's time zone. */
export function localFromIso(iso: string): string {
  const time = new Date(iso);
  if (Number.isNaN(time.getTime())) return iso;
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${time.getFullYear()}-${pad(time.getMonth() + 1)}-${pad(time.getDate())}T${pad(time.getHours())}:${pad(time.getMinutes())}`;
}

export function ruleBody(draft: RuleDraft): RuleBody {
  const conditions = draft.conditions.map(conditionBody);
  const from = draft.scheduleFrom.trim();
  const until = draft.scheduleUntil.trim();
  const schedule = {
    ...(from && { from: isoFromLocal(from) }),
    ...(until && { until: isoFromLocal(until) }),
  };
  const withConditions = {
    ...(conditions.length > 0 && { conditions }),
    ...((from || until) && { schedule }),
  };
  const id = draft.id.trim();
  switch (draft.type) {
    case 'force':
      return { id, type: 'force', variant: draft.variant, ...withConditions };
    case 'rollout':
      // Rounded to basis points: 33.33 % is what was meant, not 0.33330000000000004.
      return {
        id,
        type: 'rollout',
        variant: draft.variant,
        fraction: Math.round(draft.percentage * 100) / 10_000,
        ...withConditions,
      };
    case 'experiment':
      return { id, type: 'experiment', experimentKey: draft.experimentKey.trim(), ...withConditions };
  }
}

type SavedRule = RuleBody;

/** A saved rule as the form edits it. */
export function ruleDraftOf(rule: SavedRule, fallbackVariant: string): RuleDraft {
  const conditions = (rule.conditions ?? []).map(conditionDraftFrom);
  return {
    id: rule.id,
    type: rule.type,
    variant: rule.type === 'experiment' ? fallbackVariant : rule.variant,
    percentage: rule.type === 'rollout' ? Math.round(rule.fraction * 10_000) / 100 : 10,
    experimentKey: rule.type === 'experiment' ? rule.experimentKey : '',
    conditions,
    scheduleFrom: rule.schedule?.from ? localFromIso(rule.schedule.from) : '',
    scheduleUntil: rule.schedule?.until ? localFromIso(rule.schedule.until) : '',
  };
}

/**
 * The edited rule, keeping what the form does not show (description, rollout seed and hash
 * attribute, an experiment's variant mapping) while the kind stays the same.
 */
export function editedRule(original: SavedRule, draft: RuleDraft): RuleBody {
  const edited = ruleBody(draft);
  if (original.type !== edited.type) return edited;
  const { conditions: _conditions, schedule: _schedule, ...kept } = original;
  return { ...kept, ...edited } as RuleBody;
}

/** Moves the item at `from` to `to` (both clamped), returning a new array. */
export function moveItem<T>(items: readonly T[], from: number, to: number): T[] {
  const result = [...items];
  const target = Math.max(0, Math.min(result.length - 1, to));
  const [moved] = result.splice(from, 1);
  if (moved === undefined) return result;
  result.splice(target, 0, moved);
  return result;
}

type Condition = components['schemas']['Condition'] | ConditionBody;

/** A condition as a phrase: `country eq "NL"`, `in segment beta`, `any of (…)`. */
export function describeCondition(condition: Condition): string {
  if ('segment' in condition) return `in segment ${condition.segment}`;
  if ('all' in condition) return `all of (${condition.all.map(describeCondition).join(', ')})`;
  if ('any' in condition) return `any of (${condition.any.map(describeCondition).join(', ')})`;
  if ('not' in condition) return `not (${describeCondition(condition.not)})`;
  const operator = condition.operator.replaceAll('_', ' ');
  if (!('value' in condition)) return `${condition.attribute} ${operator}`;
  return `${condition.attribute} ${operator} ${JSON.stringify(condition.value)}`;
}
