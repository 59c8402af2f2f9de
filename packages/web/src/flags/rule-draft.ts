/**
 * @module flags/rule-draft
 * A targeting rule as the add-rule form holds it (strings from inputs), and its translation into
 * the API's rule: condition values typed by operator, the rollout percentage as a fraction.
 */
import type { components, paths } from '../api/schema.gen.js';

export const CONDITION_OPERATORS = [
  'eq',
  'neq',
  'in',
  'not_in',
  'contains',
  'starts_with',
  'ends_with',
  'matches',
  'gt',
  'gte',
  'lt',
  'lte',
  'semver_eq',
  'semver_neq',
  'semver_gt',
  'semver_gte',
  'semver_lt',
  'semver_lte',
  'exists',
  'not_exists',
] as const;
export type ConditionOperator = (typeof CONDITION_OPERATORS)[number] | 'segment';

export interface ConditionDraft {
  attribute: string;
  operator: ConditionOperator;
  /** Comma-separated for `in`/`not_in`; a segment key for `segment`. */
  value: string;
}

export interface RuleDraft {
  id: string;
  type: 'force' | 'rollout' | 'experiment';
  variant: string;
  /** 0–100, rollout only. */
  percentage: number;
  experimentKey: string;
  conditions: ConditionDraft[];
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

export type RuleBody =
  paths['/api/v1/projects/{projectKey}/flags/{key}/environments/{environmentKey}/rules']['post']['requestBody']['content']['application/json']['rule'];

export function ruleBody(draft: RuleDraft): RuleBody {
  const conditions = draft.conditions.map(conditionBody);
  const withConditions = conditions.length > 0 ? { conditions } : {};
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
