import { describe, expect, it } from 'vitest';
import { diffEnvironment, type EnvironmentState, rebaseDraft } from './environment-diff.js';

const a = { id: 'a', type: 'force' as const, variant: 'on' };
const b = { id: 'b', type: 'rollout' as const, variant: 'on', fraction: 0.1 };
const c = { id: 'c', type: 'force' as const, variant: 'off' };

describe('the diff of an environment save', () => {
  it('is empty when nothing changed', () => {
    const state: EnvironmentState = { enabled: true, rules: [a, b] };
    expect(diffEnvironment(state, structuredClone(state))).toEqual([]);
  });

  it('names rules by id: added, removed, edited field by field, and the new order', () => {
    const lines = diffEnvironment(
      { enabled: true, rules: [a, b, c] },
      { enabled: true, rules: [{ ...b, fraction: 0.5 }, a, { id: 'd', type: 'force', variant: 'on' }] },
    );
    expect(lines).toEqual([
      { kind: 'removed', where: 'rule c', before: c },
      { kind: 'changed', where: 'rule b › fraction', before: 0.1, after: 0.5 },
      { kind: 'added', where: 'rule d (position 3)', after: { id: 'd', type: 'force', variant: 'on' } },
      { kind: 'moved', where: 'rule order', before: ['a', 'b'], after: ['b', 'a'] },
    ]);
  });

  it('lists overrides and prerequisites by position, and the kill switch', () => {
    const lines = diffEnvironment(
      { enabled: false, overrides: [{ values: ['qa-1'], variant: 'on' }] },
      {
        enabled: true,
        overrides: [{ values: ['qa-1', 'qa-2'], variant: 'on' }],
        prerequisites: [{ flagKey: 'login', variants: ['on'] }],
      },
    );
    expect(lines).toEqual([
      { kind: 'changed', where: 'on', before: false, after: true },
      { kind: 'added', where: 'prerequisite 1', after: { flagKey: 'login', variants: ['on'] } },
      { kind: 'changed', where: 'override 1 › values', before: ['qa-1'], after: ['qa-1', 'qa-2'] },
    ]);
  });
});

describe('carrying a draft over a newer saved version', () => {
  const base: EnvironmentState = { enabled: true, rules: [a, b] };

  it('keeps the draft’s own changes and takes others’ changes to other fields', () => {
    const draft = { ...base, rules: [b, a] };
    const latest = { ...base, enabled: false, overrides: [{ values: ['qa'], variant: 'on' }] };
    expect(rebaseDraft(base, draft, latest)).toEqual({ ...latest, rules: [b, a] });
  });

  it('gives up when both changed the same field differently', () => {
    expect(rebaseDraft(base, { ...base, rules: [b, a] }, { ...base, rules: [a] })).toBeUndefined();
    // The same change made on both sides is no conflict.
    expect(rebaseDraft(base, { ...base, rules: [b, a] }, { ...base, rules: [b, a] })).toEqual({
      ...base,
      rules: [b, a],
    });
  });
});
