import type { Flag, FlagEnvironment } from '@cleave/core';
import { describe, expect, it } from 'vitest';
import { singleServedVariant, staleness } from './staleness.js';

const flag: Flag = {
  key: 'checkout',
  type: 'boolean',
  variants: [
    { key: 'on', value: true },
    { key: 'off', value: false },
  ],
  defaultVariant: 'off',
  offVariant: 'off',
  environments: {},
};

const served = (state: FlagEnvironment) => singleServedVariant(flag, state);

describe('the one variant a flag serves every unit', () => {
  it('is the off variant when the flag is off, and the default when no rule can match', () => {
    expect(served({ enabled: false, rules: [{ id: 'a', type: 'force', variant: 'on' }] })).toBe('off');
    expect(served({ enabled: true })).toBe('off');
    expect(
      served({ enabled: true, rules: [{ id: 'none', type: 'rollout', variant: 'on', fraction: 0 }] }),
    ).toBe('off');
  });

  it('is the variant of an unconditional force or 100 % rollout, whatever follows it', () => {
    expect(
      served({
        enabled: true,
        rules: [
          { id: 'all', type: 'rollout', variant: 'on', fraction: 1 },
          { id: 'later', type: 'force', variant: 'off' },
        ],
      }),
    ).toBe('on');
  });

  it('is none when a condition, schedule, partial rollout, override, prerequisite or experiment can split units', () => {
    const states: FlagEnvironment[] = [
      {
        enabled: true,
        rules: [
          {
            id: 'nl',
            type: 'force',
            variant: 'on',
            conditions: [{ attribute: 'country', operator: 'eq', value: 'NL' }],
          },
        ],
      },
      {
        enabled: true,
        rules: [{ id: 'later', type: 'force', variant: 'on', schedule: { from: '2030-01-01T00:00:00Z' } }],
      },
      { enabled: true, rules: [{ id: 'half', type: 'rollout', variant: 'on', fraction: 0.5 }] },
      { enabled: true, overrides: [{ values: ['qa'], variant: 'on' }] },
      {
        enabled: true,
        prerequisites: [{ flagKey: 'other', variants: ['on'] }],
        rules: [{ id: 'all', type: 'force', variant: 'on' }],
      },
      { enabled: true, rules: [{ id: 'test', type: 'experiment', experimentKey: 'exp' }] },
    ];
    for (const state of states) expect(served(state)).toBeUndefined();
  });
});

describe('staleness', () => {
  const cutoff = new Date('2026-11-01T00:00:00Z');
  const old = '2026-10-01T00:00:00.000Z';
  const recent = '2026-11-20T00:00:00.000Z';
  const input = {
    key: 'checkout',
    name: 'Checkout',
    flag,
    state: { enabled: false },
    createdAt: old,
    lastChangedAt: old,
    lastEvaluatedAt: recent,
  };

  it('lists a flag unchanged and serving one variant since before the cutoff', () => {
    expect(staleness(input, cutoff)).toMatchObject({ reasons: ['fully_rolled_out'], servedVariant: 'off' });
  });

  it('lists a flag not evaluated since the cutoff, or never', () => {
    const state = {
      enabled: true,
      rules: [{ id: 'half', type: 'rollout' as const, variant: 'on', fraction: 0.5 }],
    };
    expect(staleness({ ...input, state, lastEvaluatedAt: old }, cutoff)?.reasons).toEqual(['not_evaluated']);
    expect(staleness({ ...input, state, lastEvaluatedAt: undefined }, cutoff)?.lastEvaluatedAt).toBeNull();
    expect(staleness({ ...input, state }, cutoff)).toBeUndefined();
  });

  it('never lists a flag created after the cutoff', () => {
    expect(staleness({ ...input, createdAt: recent, lastEvaluatedAt: undefined }, cutoff)).toBeUndefined();
  });
});
