/**
 * @module flags/condition-drafts
 * A stored condition back into the strings the condition builder edits, so a saved segment or rule
 * opens as it was typed; groups (`all`, `any`, `not`) become rows holding their own rows.
 */
import type { components } from '../api/schema.gen.js';
import type { ConditionBody, ConditionDraft } from './rule-draft.js';

type Condition = components['schemas']['Condition'] | ConditionBody;

function text(value: string | number | boolean): string {
  return String(value);
}

/** The builder's row for `condition` (a group's row holds its conditions' rows). */
export function conditionDraftFrom(condition: Condition): ConditionDraft {
  if ('segment' in condition) return { attribute: '', operator: 'segment', value: condition.segment };
  if ('all' in condition) return group('all', condition.all);
  if ('any' in condition) return group('any', condition.any);
  if ('not' in condition)
    // "Not all of" several is how the builder shows `not: {all: [...]}`; one condition stays one row.
    return group('not', 'all' in condition.not ? condition.not.all : [condition.not]);
  if (!('value' in condition))
    return { attribute: condition.attribute, operator: condition.operator, value: '' };
  const value = Array.isArray(condition.value) ? condition.value.map(text).join(', ') : text(condition.value);
  return { attribute: condition.attribute, operator: condition.operator, value };
}

function group(operator: 'all' | 'any' | 'not', conditions: readonly Condition[]): ConditionDraft {
  return { attribute: '', operator, value: '', children: conditions.map(conditionDraftFrom) };
}
