import { describe, expect, it } from 'vitest';
import { conditionOperators } from '../api/schema.gen.js';
import {
  CONDITION_OPERATORS,
  conditionBody,
  describeCondition,
  editedRule,
  localFromIso,
  moveItem,
  ruleBody,
  ruleDraftOf,
} from './rule-draft.js';

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
    const base = {
      id: 'r1',
      variant: 'on',
      experimentKey: '',
      conditions: [],
      scheduleFrom: '',
      scheduleUntil: '',
    };
    expect(ruleBody({ ...base, type: 'rollout', percentage: 33.33 })).toEqual({
      id: 'r1',
      type: 'rollout',
      variant: 'on',
      fraction: 0.3333,
    });
    expect(ruleBody({ ...base, type: 'force', percentage: 0 })).not.toHaveProperty('conditions');
  });

  it('sends a schedule as ISO instants, and reads a saved rule back into the form', () => {
    const from = new Date('2030-01-02T09:30:00Z');
    const body = ruleBody({
      id: 'launch',
      type: 'force',
      variant: 'on',
      percentage: 0,
      experimentKey: '',
      conditions: [
        { attribute: 'plan', operator: 'in', value: 'pro, team' },
        { attribute: '', operator: 'segment', value: 'beta' },
      ],
      scheduleFrom: localFromIso(from.toISOString()),
      scheduleUntil: '',
    });
    expect(body).toEqual({
      id: 'launch',
      type: 'force',
      variant: 'on',
      conditions: [{ attribute: 'plan', operator: 'in', value: ['pro', 'team'] }, { segment: 'beta' }],
      schedule: { from: from.toISOString() },
    });
    const draft = ruleDraftOf(body, 'off');
    expect(draft.conditions).toEqual([
      { attribute: 'plan', operator: 'in', value: 'pro, team' },
      { attribute: '', operator: 'segment', value: 'beta' },
    ]);
    expect(ruleBody(draft)).toEqual(body);
    // Nested groups open as rows holding rows, and go back as they came.
    const nested = {
      id: 'x',
      type: 'force' as const,
      variant: 'on',
      conditions: [{ not: { segment: 'a' } }],
    };
    expect(ruleBody(ruleDraftOf(nested, 'off'))).toEqual(nested);
  });

  it('keeps what the form does not show when a rule keeps its kind', () => {
    const saved = {
      id: 'r',
      type: 'rollout' as const,
      variant: 'on',
      fraction: 0.1,
      seed: 'fixed',
      description: 'ramp',
    };
    const draft = ruleDraftOf(saved, 'off');
    if (!draft) throw new Error('a plain rollout is editable');
    expect(editedRule(saved, { ...draft, percentage: 50 })).toEqual({ ...saved, fraction: 0.5 });
    expect(editedRule(saved, { ...draft, type: 'force' })).toEqual({ id: 'r', type: 'force', variant: 'on' });
  });

  it("offers exactly the operators of the API's schema", () => {
    expect(CONDITION_OPERATORS).toBe(conditionOperators);
    expect(CONDITION_OPERATORS).toContain('semver_gte');
    expect(CONDITION_OPERATORS).not.toContain('segment');
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
