/**
 * @module flags/condition-drafts
 * A stored condition back into the strings the condition builder edits, so a saved segment or rule
 * opens as it was typed. Nested groups (`all`, `any`, `not`) have no row in the builder.
 */
import type { components } from '../api/schema.gen.js';
import type { ConditionDraft } from './rule-draft.js';

type Condition = components['schemas']['Condition'];

function text(value: string | number | boolean): string {
  return String(value);
}

/** The builder's row for `condition`, or undefined when it is a nested group. */
export function conditionDraftFrom(condition: Condition): ConditionDraft | undefined {
  if ('segment' in condition) return { attribute: '', operator: 'segment', value: condition.segment };
  if ('all' in condition || 'any' in condition || 'not' in condition) return undefined;
  if (!('value' in condition))
    return { attribute: condition.attribute, operator: condition.operator, value: '' };
  const value = Array.isArray(condition.value) ? condition.value.map(text).join(', ') : text(condition.value);
  return { attribute: condition.attribute, operator: condition.operator, value };
}

/** Every row, or undefined when any condition cannot be edited as a row. */
export function conditionDraftsFrom(conditions: readonly Condition[]): ConditionDraft[] | undefined {
  const drafts = conditions.map(conditionDraftFrom);
  return drafts.every((draft) => draft !== undefined) ? drafts : undefined;
}
