import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ExperimentSchema } from './experiment.js';
import { flagEnvironmentShape, flagShape } from './flag.js';
import { HoldoutSchema } from './holdout.js';
import { LayerSchema } from './layer.js';
import {
  checkConfigPayload,
  parseEnvelope,
  parseExperiment,
  parseFlagShell,
  parseHoldout,
  parseLayer,
  parseRule,
  parseSegment,
} from './payload-shape.js';
import { RuleSchema } from './rule.js';
import { SegmentSchema } from './segment.js';
import { validateConfigPayload } from './validate.js';

/** What the compile step used to parse each flag with, before it dropped zod. */
const FlagShellSchema = z.object({
  ...flagShape,
  ...flagEnvironmentShape,
  rules: z.array(z.unknown()).max(500).optional(),
});

/** A payload using every kind of object, every optional field and every form of condition. */
function fullPayload(): Record<string, unknown> {
  return {
    schemaVersion: 1,
    hashVersion: 1,
    environment: 'production',
    version: 7,
    generatedAt: '2026-11-29T12:00:00.000Z',
    flags: [
      {
        key: 'checkout',
        type: 'json',
        variants: [
          { key: 'old', value: { label: 'Buy', sizes: [1, 2] }, name: 'Old', description: 'the old one' },
          { key: 'new', value: null },
        ],
        defaultVariant: 'old',
        offVariant: 'old',
        enabled: true,
        prerequisites: [{ flagKey: 'gate', variants: ['on'] }],
        overrides: [{ attribute: 'email', values: ['qa@example.com'], variant: 'new' }],
        rules: [
          {
            id: 'staff',
            type: 'force',
            variant: 'new',
            description: 'staff first',
            conditions: [
              { attribute: 'country', operator: 'in', value: ['NL', 'BE'] },
              { any: [{ attribute: 'plan', operator: 'eq', value: 'pro' }, { segment: 'beta' }] },
              { not: { attribute: 'banned', operator: 'exists' } },
              { all: [{ attribute: 'age', operator: 'gte', value: 18 }] },
              { attribute: 'user.email', operator: 'matches', value: '^[a-z]+@example\\.com$' },
              { attribute: 'app', operator: 'semver_gte', value: '1.2.3' },
              { attribute: 'signup', operator: 'lt', value: '2026-01-01' },
              { attribute: 'name', operator: 'starts_with', value: 'a' },
              { attribute: 'tags', operator: 'contains', value: 3 },
            ],
            schedule: { from: '2026-01-01T00:00:00Z', until: '2027-01-01T00:00:00Z' },
          },
          {
            id: 'ramp',
            type: 'rollout',
            variant: 'new',
            fraction: 0.2,
            hashAttribute: 'accountId',
            seed: 's',
          },
          {
            id: 'test',
            type: 'experiment',
            experimentKey: 'cta',
            variants: { control: 'old', treatment: 'new' },
          },
        ],
      },
      {
        key: 'gate',
        type: 'boolean',
        variants: [
          { key: 'on', value: true },
          { key: 'off', value: false },
        ],
        defaultVariant: 'on',
        offVariant: 'off',
        enabled: false,
      },
    ],
    segments: [
      { key: 'beta', name: 'Beta', conditions: [{ attribute: 'beta', operator: 'neq', value: false }] },
    ],
    experiments: [
      {
        key: 'cta',
        name: 'CTA',
        seed: 'cta-seed',
        hashAttribute: 'targetingKey',
        variations: [
          { key: 'control', weight: 0.5 },
          { key: 'treatment', weight: 0.5 },
        ],
        coverage: 0.9,
        layer: { key: 'checkout-layer', range: { start: 0, end: 0.5 } },
        stickyBucketing: true,
      },
    ],
    layers: [{ key: 'checkout-layer', seed: 'layer-seed' }],
    holdouts: [{ key: 'global', fraction: 0.05, seed: 'holdout-seed', layerKey: 'checkout-layer' }],
  };
}

/** Values chosen to sit on the edges of the schemas' checks. */
const GARBAGE: unknown[] = [
  undefined,
  null,
  0,
  -1,
  1,
  2,
  0.5,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  '',
  'x',
  'Upper',
  'a~b',
  'a..b',
  '__proto__',
  'x'.repeat(1001),
  '1.2.3',
  '2020-01-01',
  '2020-02-30',
  '(a)\\1',
  true,
  false,
  [],
  [1],
  ['a'],
  {},
  { key: 'k' },
  { attribute: 'a', operator: 'exists' },
  { all: [] },
  { not: { segment: 'beta' } },
];

/** A small deterministic PRNG (mulberry32) so that the cases are the same on every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Replaces, removes or retypes one randomly chosen node of a JSON tree. */
function mutate(value: unknown, next: () => number): unknown {
  if (next() < 0.2 || value === null || typeof value !== 'object')
    return GARBAGE[Math.floor(next() * GARBAGE.length)];
  if (Array.isArray(value)) {
    if (value.length === 0) return value;
    const copy = [...value];
    const index = Math.floor(next() * copy.length);
    if (next() < 0.1) copy.splice(index, 1);
    else copy[index] = mutate(copy[index], next);
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

const listOf = (payload: unknown, name: string): unknown[] => {
  const list = (payload as Record<string, unknown> | null)?.[name];
  return Array.isArray(list) ? list : [];
};

describe('payload-shape: the compile step’s zod-free checks', () => {
  it('accept the full payload, as the zod schemas do', () => {
    expect(validateConfigPayload(fullPayload()).ok).toBe(true);
    expect(checkConfigPayload(fullPayload())).toEqual([]);
  });

  it('accept and refuse exactly what the zod schemas do, on thousands of mutated payloads', () => {
    const next = random(14);
    const mismatches: string[] = [];
    let refused = 0;
    const compare = (what: string, input: unknown, ours: boolean, zods: boolean) => {
      if (ours !== zods) mismatches.push(`${what}: ours ${ours}, zod ${zods}: ${JSON.stringify(input)}`);
    };
    for (let i = 0; i < 3000; i++) {
      let payload: unknown = fullPayload();
      const mutations = 1 + Math.floor(next() * 3);
      for (let m = 0; m < mutations; m++) payload = mutate(payload, next);
      const zodOk = validateConfigPayload(payload).ok;
      if (!zodOk) refused += 1;
      compare('payload', payload, checkConfigPayload(payload).length === 0, zodOk);
      for (const flag of listOf(payload, 'flags')) {
        compare('flag', flag, parseFlagShell(flag).ok, FlagShellSchema.safeParse(flag).success);
        for (const rule of listOf(flag, 'rules')) {
          const ours = parseRule(rule);
          const zods = RuleSchema.safeParse(rule);
          compare('rule', rule, ours.ok, zods.success);
          // Conditions come back with only the keys of their form, as zod returns them.
          if (ours.ok && zods.success) expect(ours.value.conditions).toEqual(zods.data.conditions);
        }
      }
      for (const segment of listOf(payload, 'segments')) {
        const ours = parseSegment(segment);
        const zods = SegmentSchema.safeParse(segment);
        compare('segment', segment, ours.ok, zods.success);
        if (ours.ok && zods.success) expect(ours.value.conditions).toEqual(zods.data.conditions);
      }
      for (const item of listOf(payload, 'experiments'))
        compare('experiment', item, parseExperiment(item).ok, ExperimentSchema.safeParse(item).success);
      for (const item of listOf(payload, 'layers'))
        compare('layer', item, parseLayer(item).ok, LayerSchema.safeParse(item).success);
      for (const item of listOf(payload, 'holdouts'))
        compare('holdout', item, parseHoldout(item).ok, HoldoutSchema.safeParse(item).success);
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
    expect(refused).toBeGreaterThan(1000);
  });

  it('name the path of each problem', () => {
    const payload = fullPayload();
    (payload.flags as Record<string, unknown>[])[1] = { key: 'bad', type: 'boolean', variants: 'none' };
    expect(checkConfigPayload(payload).map((issue) => issue.path)).toContain('/flags/1/variants');
    expect(parseEnvelope({ ...payload, hashVersion: 2 })).toMatchObject({
      ok: false,
      issues: [{ path: '/hashVersion' }],
    });
  });

  it('rebuild conditions with the keys of the form that matched', () => {
    const rule = parseRule({
      id: 'r',
      type: 'force',
      variant: 'on',
      conditions: [
        { attribute: 'a', operator: 'exists', value: 'ignored', all: 'ignored' },
        { not: { segment: 's', x: 1 } },
      ],
    });
    expect(rule.ok && rule.value.conditions).toEqual([
      { attribute: 'a', operator: 'exists' },
      { not: { segment: 's' } },
    ]);
  });

  it('stop at the nesting limit without exhausting the stack', () => {
    let deep: unknown = { attribute: 'a', operator: 'exists' };
    for (let i = 0; i < 100_000; i++) deep = { not: deep };
    const rule = parseRule({ id: 'r', type: 'force', variant: 'on', conditions: [deep] });
    expect(rule.ok).toBe(false);
    if (!rule.ok) expect(rule.issues[0]?.message).toMatch(/nest deeper than 10/);
  });
});
