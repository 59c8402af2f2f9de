import { describe, expect, it } from 'vitest';
import { conditionBody, describeCondition, moveItem, ruleBody } from './rule-draft.js';

describe('rule drafts', () => {
  it('types condition values by operator', () => {
    expect(conditionBody({ attribute: 'plan', operator: 'in', value: 'pro, team,  ' })).toEqual({
      attribute: 'plan',
      operator: 'in',
      value: ['pro', 'team'],
    });
    expect(conditionBody({ attribute: 'age', operator: 'gte', value: '18' })).toEqual({
      attribute: 'age',
      operator: 'gte',
      value: 18,
    });
    expect(conditionBody({ attribute: 'beta', operator: 'eq', value: 'true' })).toMatchObject({
      value: true,
    });
    // A version or a pattern stays text even when it looks like a number.
    expect(conditionBody({ attribute: 'app', operator: 'semver_gt', value: '2' })).toMatchObject({
      value: '2',
    });
    expect(conditionBody({ attribute: 'x', operator: 'exists', value: 'ignored' })).toEqual({
      attribute: 'x',
      operator: 'exists',
    });
    expect(conditionBody({ attribute: '', operator: 'segment', value: ' beta-users ' })).toEqual({
      segment: 'beta-users',
    });
  });

  it('turns a rollout percentage into a fraction, rounded to basis points', () => {
    const base = { id: 'r1', variant: 'on', experimentKey: '', conditions: [] };
    expect(ruleBody({ ...base, type: 'rollout', percentage: 33.33 })).toEqual({
      id: 'r1',
      type: 'rollout',
      variant: 'on',
      fraction: 0.3333,
    });
    expect(ruleBody({ ...base, type: 'force', percentage: 0 })).not.toHaveProperty('conditions');
  });

  it('moves rules within bounds', () => {
    expect(moveItem(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c']);
    expect(moveItem(['a', 'b', 'c'], 2, 5)).toEqual(['a', 'b', 'c']);
    expect(moveItem(['a', 'b', 'c'], 2, -1)).toEqual(['c', 'a', 'b']);
  });
});

describe('conditions as phrases', () => {
  it('reads attribute conditions, segments and combinations', () => {
    expect(describeCondition({ attribute: 'country', operator: 'in', value: ['NL', 'BE'] })).toBe(
      'country in ["NL","BE"]',
    );
    expect(describeCondition({ attribute: 'email', operator: 'not_exists' })).toBe('email not exists');
    expect(
      describeCondition({
        any: [{ segment: 'beta' }, { not: { attribute: 'age', operator: 'lt', value: 18 } }],
      }),
    ).toBe('any of (in segment beta, not (age lt 18))');
  });
});
