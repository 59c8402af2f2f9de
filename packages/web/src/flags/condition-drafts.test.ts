import { describe, expect, it } from 'vitest';
import { conditionDraftFrom, conditionDraftsFrom } from './condition-drafts.js';
import { type ConditionBody, conditionBody } from './rule-draft.js';

describe('conditions back into builder rows', () => {
  it('round-trips each kind of row through the body the builder sends', () => {
    const bodies: ConditionBody[] = [
      { attribute: 'country', operator: 'in', value: ['NL', 'BE', 3] },
      { attribute: 'age', operator: 'gte', value: 18 },
      { attribute: 'beta', operator: 'eq', value: true },
      { attribute: 'email', operator: 'exists' },
      { segment: 'beta-testers' },
    ];
    for (const body of bodies) {
      const draft = conditionDraftFrom(body);
      expect(draft).toBeDefined();
      expect(conditionBody(draft ?? { attribute: '', operator: 'eq', value: '' })).toEqual(body);
    }
  });

  it('has no rows for a list holding a nested group', () => {
    expect(conditionDraftsFrom([{ segment: 'a' }])).toEqual([
      { attribute: '', operator: 'segment', value: 'a' },
    ]);
    expect(
      conditionDraftsFrom([{ segment: 'a' }, { not: { attribute: 'x', operator: 'exists' } }]),
    ).toBeUndefined();
  });
});
