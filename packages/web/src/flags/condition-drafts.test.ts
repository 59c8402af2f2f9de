import { describe, expect, it } from 'vitest';
import { conditionDraftFrom } from './condition-drafts.js';
import { type ConditionBody, childPointer, conditionBody } from './rule-draft.js';

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
      expect(conditionBody(conditionDraftFrom(body))).toEqual(body);
    }
  });

  it('round-trips groups, nested in each other, as rows holding rows', () => {
    const bodies: ConditionBody[] = [
      { any: [{ attribute: 'country', operator: 'eq', value: 'NL' }, { segment: 'beta' }] },
      {
        all: [
          { attribute: 'age', operator: 'gte', value: 18 },
          { any: [{ attribute: 'vip', operator: 'exists' }] },
        ],
      },
      { not: { attribute: 'email', operator: 'ends_with', value: '@example.com' } },
      {
        not: {
          all: [
            { attribute: 'a', operator: 'exists' },
            { attribute: 'b', operator: 'exists' },
          ],
        },
      },
    ];
    for (const body of bodies) expect(conditionBody(conditionDraftFrom(body))).toEqual(body);
    expect(conditionDraftFrom(bodies[0] as ConditionBody)).toEqual({
      attribute: '',
      operator: 'any',
      value: '',
      children: [
        { attribute: 'country', operator: 'eq', value: 'NL' },
        { attribute: '', operator: 'segment', value: 'beta' },
      ],
    });
  });

  it('names the API pointer of each condition in a group', () => {
    const draft = conditionDraftFrom({ any: [{ segment: 'a' }, { segment: 'b' }] });
    expect(childPointer('/0', draft, 1)).toBe('/0/any/1');
    const notOne = conditionDraftFrom({ not: { segment: 'a' } });
    expect(childPointer('/2', notOne, 0)).toBe('/2/not');
    const notSeveral = conditionDraftFrom({ not: { all: [{ segment: 'a' }, { segment: 'b' }] } });
    expect(childPointer('/2', notSeveral, 1)).toBe('/2/not/all/1');
  });
});
