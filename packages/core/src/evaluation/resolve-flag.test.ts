import { describe, expect, it } from 'vitest';
import type { PayloadFlag } from '../model/config-payload.js';
import type { Rule } from '../model/rule.js';
import { booleanFlag, payloadOf } from '../test-support/payload.js';
import { compileConfig } from './compile-config.js';
import type { EvaluationContext } from './context.js';
import { evaluate, MAX_PREREQUISITE_DEPTH } from './evaluate.js';
import type { RuleTraceEntry, TraceEntry } from './trace.js';

const ruleEntries = (trace: TraceEntry[] | undefined): RuleTraceEntry[] =>
  (trace ?? []).filter((entry): entry is RuleTraceEntry => entry.kind === 'rule');

describe('prerequisites', () => {
  const compiled = compileConfig(
    payloadOf({
      flags: [
        booleanFlag('base', {
          rules: [
            {
              id: 'nl',
              type: 'force',
              variant: 'on',
              conditions: [{ attribute: 'country', operator: 'eq', value: 'NL' }],
            },
          ],
        }),
        booleanFlag('dependent', {
          defaultVariant: 'on',
          prerequisites: [{ flagKey: 'base', variants: ['on'] }],
        }),
        booleanFlag('needs-missing', {
          defaultVariant: 'on',
          prerequisites: [{ flagKey: 'ghost', variants: ['on'] }],
        }),
        booleanFlag('cycle-a', { prerequisites: [{ flagKey: 'cycle-b', variants: ['on', 'off'] }] }),
        booleanFlag('cycle-b', { prerequisites: [{ flagKey: 'cycle-a', variants: ['on', 'off'] }] }),
      ],
    }),
  );

  it('serves the flag normally when the prerequisite holds', () => {
    expect(evaluate(compiled, 'dependent', { country: 'NL' })).toMatchObject({
      value: true,
      variant: 'on',
      reason: 'DEFAULT',
    });
  });

  it('serves the off variant with reason PREREQUISITE_FAILED and names the failing prerequisite', () => {
    const result = evaluate(compiled, 'dependent', { country: 'DE' }, { explain: true });
    expect(result).toMatchObject({ value: false, variant: 'off', reason: 'PREREQUISITE_FAILED' });
    expect(result.flagMetadata).toEqual({ prerequisiteFailed: 'base' });
    expect(result.trace?.[0]).toMatchObject({
      kind: 'prerequisite',
      flagKey: 'base',
      requiredVariants: ['on'],
      actualVariant: 'off',
      passed: false,
    });
  });

  it('fails a prerequisite on an unknown flag', () => {
    expect(evaluate(compiled, 'needs-missing', {})).toMatchObject({
      variant: 'off',
      reason: 'PREREQUISITE_FAILED',
      flagMetadata: { prerequisiteFailed: 'ghost' },
    });
  });

  it('shares one frozen PREREQUISITE_FAILED result between calls without a trace', () => {
    const first = evaluate(compiled, 'dependent', { country: 'DE' });
    expect(first).toMatchObject({ reason: 'PREREQUISITE_FAILED', trace: undefined });
    expect(evaluate(compiled, 'dependent', { country: 'FR' })).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
  });

  it(`stops prerequisite cycles at depth ${MAX_PREREQUISITE_DEPTH} with GENERAL`, () => {
    const result = evaluate(compiled, 'cycle-a', {});
    expect(result).toMatchObject({ reason: 'ERROR', errorCode: 'GENERAL', variant: 'off' });
    expect(result.errorMessage).toMatch(/cycle/);
    // The config stays usable for other flags and later calls.
    expect(evaluate(compiled, 'dependent', { country: 'NL' }).value).toBe(true);
  });
});

describe('overrides', () => {
  const compiled = compileConfig(
    payloadOf({
      flags: [
        booleanFlag('flag', {
          overrides: [
            { values: ['qa-1', 'qa-2'], variant: 'on' },
            { attribute: 'user.email', values: ['ann@cleave.dev'], variant: 'on' },
            { attribute: 'accountId', values: ['42'], variant: 'on' },
          ],
          rules: [{ id: 'everyone', type: 'force', variant: 'off' }],
        }),
        booleanFlag('disabled', { enabled: false, overrides: [{ values: ['qa-1'], variant: 'on' }] }),
      ],
    }),
  );

  it('serves the overridden variant before any rule, with TARGETING_MATCH', () => {
    const result = evaluate(compiled, 'flag', { targetingKey: 'qa-2' });
    expect(result).toMatchObject({
      value: true,
      reason: 'TARGETING_MATCH',
      flagMetadata: { override: true },
    });
  });

  it('matches overrides on other attributes, nested paths and numeric ids', () => {
    expect(evaluate(compiled, 'flag', { user: { email: 'ann@cleave.dev' } }).value).toBe(true);
    expect(evaluate(compiled, 'flag', { accountId: 42 }).value).toBe(true);
  });

  it('lets other units through to the rules', () => {
    expect(evaluate(compiled, 'flag', { targetingKey: 'user-1' })).toMatchObject({
      value: false,
      flagMetadata: { ruleId: 'everyone' },
    });
  });

  it('does not override the kill switch', () => {
    expect(evaluate(compiled, 'disabled', { targetingKey: 'qa-1' })).toMatchObject({
      value: false,
      reason: 'DISABLED',
    });
  });
});

describe('schedules', () => {
  const compiled = compileConfig(
    payloadOf({
      flags: [
        booleanFlag('launch', {
          rules: [
            {
              id: 'window',
              type: 'force',
              variant: 'on',
              schedule: { from: '2026-03-01T09:00:00+01:00', until: '2026-03-02' },
            },
          ],
        }),
      ],
    }),
  );
  const at = (iso: string) => evaluate(compiled, 'launch', {}, { now: Date.parse(iso), explain: true });

  it('applies a rule from `from` (inclusive) until `until` (exclusive)', () => {
    expect(at('2026-03-01T07:59:59.999Z').value).toBe(false);
    expect(at('2026-03-01T08:00:00Z').value).toBe(true);
    expect(at('2026-03-01T23:59:59Z').value).toBe(true);
    expect(at('2026-03-02T00:00:00Z').value).toBe(false);
  });

  it('says in the trace whether the window has not started or has ended', () => {
    expect(ruleEntries(at('2026-02-01T00:00:00Z').trace)[0]?.outcome).toBe('schedule_not_started');
    expect(ruleEntries(at('2026-04-01T00:00:00Z').trace)[0]?.outcome).toBe('schedule_ended');
  });

  it('uses the clock when no time is given', () => {
    expect(evaluate(compiled, 'launch', {}).value).toBe(
      Date.now() >= Date.UTC(2026, 2, 1, 8) && Date.now() < Date.UTC(2026, 2, 2),
    );
  });
});

describe('segments', () => {
  const compiled = compileConfig(
    payloadOf({
      flags: [
        booleanFlag('staff-only', {
          rules: [{ id: 'staff', type: 'force', variant: 'on', conditions: [{ segment: 'staff' }] }],
        }),
        booleanFlag('beta', {
          rules: [{ id: 'beta', type: 'force', variant: 'on', conditions: [{ segment: 'beta' }] }],
        }),
        booleanFlag('broken', {
          rules: [
            { id: 'cyclic', type: 'force', variant: 'on', conditions: [{ segment: 'loop-a' }] },
            { id: 'never', type: 'force', variant: 'on' },
          ],
        }),
        booleanFlag('unknown-segment', {
          rules: [{ id: 'r', type: 'force', variant: 'on', conditions: [{ segment: 'ghost' }] }],
        }),
      ],
      segments: [
        { key: 'staff', conditions: [{ attribute: 'email', operator: 'ends_with', value: '@cleave.dev' }] },
        {
          key: 'beta',
          conditions: [{ any: [{ segment: 'staff' }, { attribute: 'beta', operator: 'eq', value: true }] }],
        },
        { key: 'loop-a', conditions: [{ segment: 'loop-b' }] },
        { key: 'loop-b', conditions: [{ segment: 'loop-a' }] },
      ],
    }),
  );

  it('matches units in a segment, including segments built from segments', () => {
    expect(evaluate(compiled, 'staff-only', { email: 'ann@cleave.dev' }).value).toBe(true);
    expect(evaluate(compiled, 'staff-only', { email: 'ann@example.com' }).value).toBe(false);
    expect(evaluate(compiled, 'beta', { email: 'ann@cleave.dev' }).value).toBe(true);
    expect(evaluate(compiled, 'beta', { beta: true }).value).toBe(true);
    expect(evaluate(compiled, 'beta', { beta: false }).value).toBe(false);
  });

  it('serves the default with PARSE_ERROR at a rule with a segment cycle or unknown segment', () => {
    expect(evaluate(compiled, 'broken', {})).toMatchObject({
      value: false,
      variant: 'off',
      reason: 'ERROR',
      errorCode: 'PARSE_ERROR',
    });
    expect(evaluate(compiled, 'broken', {}).errorMessage).toMatch(/segment cycle/);
    expect(evaluate(compiled, 'unknown-segment', {}).errorMessage).toMatch(/unknown segment "ghost"/);
    expect(evaluate(compiled, 'staff-only', { email: 'ann@cleave.dev' }).value).toBe(true);
  });
});

describe('missing unit ids (TARGETING_KEY_MISSING policy)', () => {
  const flag = (rules: PayloadFlag['rules']) => booleanFlag('flag', { rules });
  const nlForce = {
    id: 'nl',
    type: 'force',
    variant: 'on',
    conditions: [{ attribute: 'country', operator: 'eq', value: 'NL' }],
  } satisfies Rule;
  const rollout = { id: 'half', type: 'rollout', variant: 'on', fraction: 0.5 } satisfies Rule;
  const evaluateWith = (rules: PayloadFlag['rules'], context: EvaluationContext) =>
    evaluate(compileConfig(payloadOf({ flags: [flag(rules)] })), 'flag', context, { explain: true });

  it('returns the default with TARGETING_KEY_MISSING when the value depended on the missing id', () => {
    const result = evaluateWith([nlForce, rollout], { country: 'DE' });
    expect(result).toMatchObject({
      value: false,
      variant: 'off',
      reason: 'ERROR',
      errorCode: 'TARGETING_KEY_MISSING',
    });
    expect(ruleEntries(result.trace)[1]).toMatchObject({
      outcome: 'unit_id_missing',
      unitAttribute: 'targetingKey',
    });
  });

  it('still serves an earlier or later matching rule without an error', () => {
    expect(evaluateWith([nlForce, rollout], { country: 'NL' })).toMatchObject({
      value: true,
      errorCode: undefined,
    });
    expect(evaluateWith([rollout, nlForce], { country: 'NL' })).toMatchObject({
      value: true,
      reason: 'TARGETING_MATCH',
      errorCode: undefined,
    });
  });

  it('does not complain when the rule needing the id did not apply anyway', () => {
    const targetedRollout = {
      ...rollout,
      conditions: [{ attribute: 'beta', operator: 'eq', value: true }],
    } satisfies Rule;
    expect(evaluateWith([targetedRollout], {})).toMatchObject({ reason: 'DEFAULT', errorCode: undefined });
  });

  it('accepts numeric unit ids and treats empty strings as missing', () => {
    expect(evaluateWith([{ ...rollout, fraction: 1 }], { targetingKey: 42 as unknown as string }).value).toBe(
      true,
    );
    expect(evaluateWith([{ ...rollout, fraction: 1 }], { targetingKey: '' }).errorCode).toBe(
      'TARGETING_KEY_MISSING',
    );
  });

  it('uses the rollout hash attribute when one is set', () => {
    const byDevice = { ...rollout, fraction: 1, hashAttribute: 'device.id' };
    expect(evaluateWith([byDevice], { targetingKey: 'u1' }).errorMessage).toMatch(/"device.id"/);
    expect(evaluateWith([byDevice], { device: { id: 'd1' } }).value).toBe(true);
  });
});

describe('broken rules', () => {
  const compiled = compileConfig(
    payloadOf({
      flags: [
        booleanFlag('flag', {
          rules: [
            {
              id: 'fine',
              type: 'force',
              variant: 'on',
              conditions: [{ attribute: 'country', operator: 'eq', value: 'NL' }],
            },
            {
              id: 'bad',
              type: 'force',
              variant: 'on',
              conditions: [{ attribute: 'x', operator: 'matches', value: '(a)\\1' }],
            },
            { id: 'after', type: 'force', variant: 'on' },
          ],
        }),
      ],
    }),
  );

  it('serves matches before the broken rule normally', () => {
    expect(evaluate(compiled, 'flag', { country: 'NL' })).toMatchObject({
      value: true,
      reason: 'TARGETING_MATCH',
    });
  });

  it('stops at the broken rule with the default and PARSE_ERROR rather than skipping it', () => {
    const result = evaluate(compiled, 'flag', { country: 'DE' }, { explain: true });
    expect(result).toMatchObject({ value: false, variant: 'off', reason: 'ERROR', errorCode: 'PARSE_ERROR' });
    expect(ruleEntries(result.trace).map((entry) => entry.outcome)).toEqual(['conditions_failed', 'broken']);
  });
});
