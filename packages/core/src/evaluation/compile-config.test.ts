import { describe, expect, it } from 'vitest';
import { booleanFlag, payloadOf } from '../test-support/payload.js';
import { compileConfig } from './compile-config.js';
import { evaluate, evaluateAll } from './evaluate.js';
import { REASONS } from './evaluation-result.js';

const valid = payloadOf({
  flags: [
    booleanFlag('a', {
      prerequisites: [{ flagKey: 'b', variants: ['on', 'off'] }],
      overrides: [{ values: ['qa'], variant: 'on' }],
      rules: [
        {
          id: 'seg',
          type: 'force',
          variant: 'on',
          conditions: [{ segment: 'beta' }],
          schedule: { from: '2020-01-01' },
        },
        { id: 'ramp', type: 'rollout', variant: 'on', fraction: 0.3 },
        {
          id: 'exp',
          type: 'experiment',
          experimentKey: 'exp',
          variants: { control: 'off', treatment: 'on' },
        },
      ],
    }),
    booleanFlag('b'),
  ],
  segments: [{ key: 'beta', conditions: [{ attribute: 'plan', operator: 'in', value: ['beta', 'pro'] }] }],
  experiments: [
    {
      key: 'exp',
      coverage: 0.5,
      layer: { key: 'layer', range: { start: 0, end: 0.5 } },
      variations: [
        { key: 'control', weight: 0.5 },
        { key: 'treatment', weight: 0.5 },
      ],
    },
  ],
  layers: [{ key: 'layer' }],
  holdouts: [{ key: 'h', fraction: 0.05 }],
});

/** A small deterministic PRNG (mulberry32) so that the fuzz cases are the same on every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const GARBAGE: unknown[] = [
  undefined,
  null,
  0,
  -1,
  1.5,
  Number.NaN,
  '',
  'x',
  true,
  [],
  {},
  [null],
  { key: 1 },
  '(a+)+',
];

/** Replaces one randomly chosen node of a JSON tree by garbage. */
function mutate(value: unknown, next: () => number): unknown {
  if (next() < 0.15 || value === null || typeof value !== 'object')
    return GARBAGE[Math.floor(next() * GARBAGE.length)];
  if (Array.isArray(value)) {
    if (value.length === 0) return value;
    const copy = [...value];
    const index = Math.floor(next() * copy.length);
    copy[index] = mutate(copy[index], next);
    return copy;
  }
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  const keys = Object.keys(copy);
  const key = keys[Math.floor(next() * keys.length)];
  if (key !== undefined) {
    if (next() < 0.1) delete copy[key];
    else copy[key] = mutate(copy[key], next);
  }
  return copy;
}

describe('compileConfig', () => {
  it('compiles a valid payload with no issues', () => {
    const compiled = compileConfig(valid);
    expect(compiled).toMatchObject({
      valid: true,
      issues: [],
      error: null,
      environment: 'production',
      version: 1,
    });
    expect(compiled.flagKeys).toEqual(['a', 'b']);
  });

  it.each([
    ['not an object', 42],
    ['null', null],
    ['an unknown schema version', { ...valid, schemaVersion: 2 }],
    ['an unknown hash version', { ...valid, hashVersion: 2 }],
    ['no flag list', { ...valid, flags: 'all of them' }],
  ])('reports PARSE_ERROR for every flag of a payload with %s', (_name, payload) => {
    const compiled = compileConfig(payload);
    expect(compiled.valid).toBe(false);
    expect(compiled.error).toMatch(/unusable config payload/);
    expect(compiled.issues.length).toBeGreaterThan(0);
    expect(evaluate(compiled, 'a', {}, { defaultValue: true })).toMatchObject({
      value: true,
      reason: 'ERROR',
      errorCode: 'PARSE_ERROR',
    });
  });

  it('shares one empty prerequisite and override list between flags (fewer cache lines per evaluation)', () => {
    const compiled = compileConfig(
      payloadOf({
        flags: [
          booleanFlag('a'),
          booleanFlag('b'),
          booleanFlag('c', { overrides: [{ values: ['u'], variant: 'on' }] }),
        ],
      }),
    );
    const [a, b, c] = ['a', 'b', 'c'].map((key) => compiled.flags.get(key));
    expect(a?.prerequisites).toBe(b?.prerequisites);
    expect(a?.overrides).toBe(b?.overrides);
    expect(c?.overrides).toHaveLength(1);
  });

  it('keeps the flag keys of an unusable payload so evaluateAll reports each of them', () => {
    const results = evaluateAll(compileConfig({ ...valid, hashVersion: 99 }), {});
    expect(results.map((result) => [result.flagKey, result.errorCode])).toEqual([
      ['a', 'PARSE_ERROR'],
      ['b', 'PARSE_ERROR'],
    ]);
  });

  it('confines an invalid flag to itself', () => {
    const compiled = compileConfig({
      ...valid,
      flags: [...valid.flags, { key: 'bad', type: 'boolean', variants: 'none' }],
    });
    expect(compiled.valid).toBe(false);
    expect(compiled.issues.map((issue) => issue.path)).toContain('/flags/2/variants');
    expect(evaluate(compiled, 'bad', {}).errorCode).toBe('PARSE_ERROR');
    expect(evaluate(compiled, 'b', {})).toMatchObject({ reason: 'STATIC', value: false });
  });

  it('confines an invalid experiment to the rules that use it', () => {
    const compiled = compileConfig({
      ...valid,
      experiments: [{ ...valid.experiments[0], variations: [{ key: 'control', weight: 0.7 }] }],
    });
    expect(evaluate(compiled, 'a', { targetingKey: 'qa' })).toMatchObject({
      value: true,
      reason: 'TARGETING_MATCH',
    });
    const reachesExperiment = ['u1', 'u2', 'u3', 'u4', 'u5', 'u6']
      .map((unit) => evaluate(compiled, 'a', { targetingKey: unit }))
      .find((result) => result.errorCode !== undefined);
    expect(reachesExperiment).toMatchObject({ errorCode: 'PARSE_ERROR', variant: 'off' });
    expect(reachesExperiment?.errorMessage).toMatch(/experiment "exp" is invalid/);
  });

  it('never throws on mutated payloads, and evaluation never throws on what it returns', () => {
    const next = random(20260101);
    const contexts = [{}, { targetingKey: 'u1', plan: 'beta' }, { targetingKey: 'qa' }];
    for (let i = 0; i < 1500; i++) {
      let payload: unknown = valid;
      const mutations = 1 + Math.floor(next() * 3);
      for (let m = 0; m < mutations; m++) payload = mutate(payload, next);
      const compiled = compileConfig(payload);
      for (const context of contexts) {
        for (const result of [
          ...evaluateAll(compiled, context),
          evaluate(compiled, 'a', context, { explain: true }),
        ]) {
          expect(REASONS).toContain(result.reason);
        }
      }
    }
  });

  it('survives hostile payload objects', () => {
    const throwing = new Proxy(
      {},
      {
        get() {
          throw new Error('gotcha');
        },
        ownKeys() {
          throw new Error('gotcha');
        },
      },
    );
    const compiled = compileConfig(throwing);
    expect(compiled.valid).toBe(false);
    expect(evaluate(compiled, 'a', {}).reason).toBe('ERROR');
    let deep: unknown = { attribute: 'a', operator: 'exists' };
    for (let i = 0; i < 50_000; i++) deep = { not: deep };
    const withDeepRule = compileConfig({
      ...valid,
      flags: [
        ...valid.flags,
        booleanFlag('deep', {
          rules: [{ id: 'r', type: 'force', variant: 'on', conditions: [deep as never] }],
        }),
      ],
    });
    expect(evaluate(withDeepRule, 'deep', {})).toMatchObject({ reason: 'ERROR', variant: 'off' });
    expect(evaluate(withDeepRule, 'b', {})).toMatchObject({ reason: 'STATIC' });
    const cyclic: Record<string, unknown> = { ...valid };
    cyclic.flags = [{ ...booleanFlag('c'), self: cyclic }];
    expect(evaluate(compileConfig(cyclic), 'c', {}).reason).toBe('STATIC');
  });
});
