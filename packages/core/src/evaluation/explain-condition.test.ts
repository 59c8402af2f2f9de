import { describe, expect, it } from 'vitest';
import type { Condition } from '../model/condition.js';
import { booleanFlag, payloadOf } from '../test-support/payload.js';
import { compileCondition } from './compile-condition.js';
import { compileConfig } from './compile-config.js';
import type { EvaluationContext } from './context.js';
import { evaluate } from './evaluate.js';
import { explainCondition } from './explain-condition.js';
import type { RuleTraceEntry } from './trace.js';

function explain(condition: Condition, context: EvaluationContext) {
  const staff = compileCondition(
    { attribute: 'email', operator: 'ends_with', value: '@cleave.dev' },
    '/conditions/0',
    () => {
      throw new Error('nested');
    },
  );
  return explainCondition(
    compileCondition(condition, '/rules/0/conditions/0', () => staff),
    context,
  );
}

describe('explainCondition', () => {
  it('returns nothing for a matching condition', () => {
    expect(explain({ attribute: 'country', operator: 'eq', value: 'NL' }, { country: 'NL' })).toBeUndefined();
  });

  it('names the failing attribute, the operator, the expected and the actual value', () => {
    expect(explain({ attribute: 'country', operator: 'in', value: ['NL', 'BE'] }, { country: 'DE' })).toEqual(
      {
        kind: 'attribute',
        path: '/rules/0/conditions/0',
        attribute: 'country',
        operator: 'in',
        expected: ['NL', 'BE'],
        actual: 'DE',
        message: 'country in ["NL","BE"] failed: country is "DE"',
      },
    );
  });

  it('says when a string was too long for matches to examine', () => {
    const failure = explain(
      { attribute: 'ua', operator: 'matches', value: 'Mobile' },
      { ua: `${'x'.repeat(10_000)}Mobile` },
    );
    expect(failure?.message).toMatch(
      /failed: ua is "x+\.\.\. \(10006 characters: longer than the 10000 that matches examines\)$/,
    );
    expect(
      explain({ attribute: 'ua', operator: 'matches', value: 'Mobile' }, { ua: 'Desktop' })?.message,
    ).toBe('ua matches "Mobile" failed: ua is "Desktop"');
  });

  it('says when the attribute is absent', () => {
    expect(explain({ attribute: 'user.plan', operator: 'eq', value: 'pro' }, { user: {} })).toMatchObject({
      attribute: 'user.plan',
      actual: undefined,
      message: 'user.plan eq "pro" failed: user.plan is absent',
    });
  });

  it('points at the first failing condition of an `all`', () => {
    const failure = explain(
      {
        all: [
          { attribute: 'a', operator: 'eq', value: 1 },
          { attribute: 'b', operator: 'gt', value: 10 },
        ],
      },
      { a: 1, b: 3 },
    );
    expect(failure).toMatchObject({ path: '/rules/0/conditions/0/all/1', attribute: 'b', actual: 3 });
  });

  it('lists every alternative of a failed `any`', () => {
    const failure = explain(
      {
        any: [
          { attribute: 'a', operator: 'eq', value: 1 },
          { attribute: 'b', operator: 'exists' },
        ],
      },
      { a: 2 },
    );
    expect(failure?.kind).toBe('any');
    expect(failure?.kind === 'any' && failure.failures.map((inner) => inner.path)).toEqual([
      '/rules/0/conditions/0/any/0',
      '/rules/0/conditions/0/any/1',
    ]);
  });

  it('says what matched under a failed `not`', () => {
    const failure = explain(
      { not: { attribute: 'country', operator: 'eq', value: 'US' } },
      { country: 'US' },
    );
    expect(failure).toMatchObject({ kind: 'not', path: '/rules/0/conditions/0' });
    expect(failure?.message).toContain('country eq "US" matched (country is "US")');
  });

  it('names the segment and the condition inside it that failed', () => {
    const failure = explain({ segment: 'staff' }, { email: 'ann@example.com' });
    expect(failure).toMatchObject({
      kind: 'segment',
      segmentKey: 'staff',
      failure: { attribute: 'email', actual: 'ann@example.com', path: '/conditions/0' },
    });
    expect(failure?.message).toMatch(/^not in segment "staff": email ends_with "@cleave.dev" failed/);
  });
});

describe('explain traces', () => {
  const compiled = compileConfig(
    payloadOf({
      flags: [
        booleanFlag('checkout', {
          overrides: [{ values: ['qa-1'], variant: 'on' }],
          rules: [
            {
              id: 'dutch',
              type: 'force',
              variant: 'on',
              conditions: [{ attribute: 'country', operator: 'eq', value: 'NL' }],
            },
            {
              id: 'new-app',
              type: 'force',
              variant: 'on',
              conditions: [{ attribute: 'app.version', operator: 'semver_gte', value: '2.0.0' }],
            },
            { id: 'ramp', type: 'rollout', variant: 'on', fraction: 1 },
            { id: 'unreached', type: 'force', variant: 'off' },
          ],
        }),
      ],
    }),
  );

  it('answers "why did this user get this value?" for every rule in order', () => {
    const result = evaluate(
      compiled,
      'checkout',
      { targetingKey: 'u1', country: 'DE', app: { version: '1.9.3' } },
      { explain: true },
    );
    const trace = result.trace ?? [];
    expect(trace[0]).toMatchObject({
      kind: 'override',
      attribute: 'targetingKey',
      value: 'u1',
      matched: false,
    });
    const rules = trace.filter((entry): entry is RuleTraceEntry => entry.kind === 'rule');
    expect(rules.map((entry) => [entry.ruleId, entry.matched, entry.outcome])).toEqual([
      ['dutch', false, 'conditions_failed'],
      ['new-app', false, 'conditions_failed'],
      ['ramp', true, 'matched'],
      ['unreached', false, 'not_reached'],
    ]);
    expect(rules[0]?.failure).toMatchObject({ attribute: 'country', actual: 'DE', expected: 'NL' });
    expect(rules[1]?.failure).toMatchObject({
      attribute: 'app.version',
      actual: '1.9.3',
      operator: 'semver_gte',
    });
    expect(rules[1]?.message).toBe(
      'rule "new-app" (#1, force): app.version semver_gte "2.0.0" failed: app.version is "1.9.3"',
    );
    expect(rules[2]).toMatchObject({ bucket: expect.any(Number), threshold: 1, variant: 'on' });
  });

  it('ends with the default when nothing matched, and is absent unless requested', () => {
    const flag = compileConfig(
      payloadOf({
        flags: [
          booleanFlag('f', {
            rules: [
              { id: 'r', type: 'force', variant: 'on', conditions: [{ attribute: 'x', operator: 'exists' }] },
            ],
          }),
        ],
      }),
    );
    expect(evaluate(flag, 'f', {}, { explain: true }).trace?.at(-1)).toMatchObject({
      kind: 'default',
      variant: 'off',
    });
    expect(evaluate(flag, 'f', {}).trace).toBeUndefined();
  });
});
