import { type ConfigPayload, validateConfigPayload } from '@cleave/core';
import { describe, expect, it } from 'vitest';
import { guardPayload } from './payload-guard.js';

/** A payload with every kind of object and every optional field, valid for core's schema. */
function fullPayload(): ConfigPayload {
  return {
    schemaVersion: 1,
    hashVersion: 1,
    environment: 'production',
    version: 7,
    generatedAt: '2026-11-29T12:00:00.000Z',
    flags: [
      {
        key: 'checkout',
        type: 'string',
        variants: [
          { key: 'old', value: 'Buy', name: 'Old', description: 'the old one' },
          { key: 'new', value: 'Buy now' },
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
            ],
            schedule: { from: '2026-01-01T00:00:00Z', until: '2027-01-01T00:00:00Z' },
          },
          {
            id: 'ramp',
            type: 'rollout',
            variant: 'new',
            fraction: 0.2,
            hashAttribute: 'accountId',
            seed: 'ramp-seed',
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
        enabled: true,
      },
    ],
    segments: [
      { key: 'beta', name: 'Beta', conditions: [{ attribute: 'beta', operator: 'eq', value: true }] },
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

type Json = unknown;

/** Every path to a value in `value`, as property lists. */
function pathsOf(value: Json, path: (string | number)[] = []): (string | number)[][] {
  const here = path.length > 0 ? [path] : [];
  if (Array.isArray(value))
    return [...here, ...value.flatMap((item, index) => pathsOf(item, [...path, index]))];
  if (typeof value === 'object' && value !== null) {
    return [...here, ...Object.entries(value).flatMap(([key, item]) => pathsOf(item, [...path, key]))];
  }
  return here;
}

function mutate(
  payload: Json,
  path: (string | number)[],
  change: (parent: Record<string, Json>, key: string | number) => void,
): Json {
  const copy = structuredClone(payload) as Record<string, Json>;
  let parent = copy;
  for (const step of path.slice(0, -1)) parent = parent[step] as Record<string, Json>;
  change(parent, path[path.length - 1] as string | number);
  return copy;
}

/** A value of another JSON type than `value`. */
function otherType(value: Json): Json {
  if (typeof value === 'string') return 42;
  if (typeof value === 'number') return 'forty-two';
  if (typeof value === 'boolean') return 'true';
  if (Array.isArray(value)) return { 0: value[0] };
  if (value === null) return {};
  return [value];
}

describe('guardPayload', () => {
  it('accepts a valid payload with every kind of object and optional field', () => {
    expect(validateConfigPayload(fullPayload()).ok).toBe(true);
    expect(guardPayload(fullPayload())).toMatchObject({ ok: true, payload: fullPayload() });
  });

  it('refuses every value of a wrong type and every field removed that core’s schema refuses, and nothing it accepts', () => {
    const payload = fullPayload();
    const mismatches: string[] = [];
    let refusals = 0;
    for (const path of pathsOf(payload)) {
      const name = path.join('/');
      const mutations: [string, Json][] = [
        [
          'wrong type',
          mutate(payload, path, (parent, key) => {
            parent[key] = otherType(parent[key]);
          }),
        ],
        [
          'removed',
          mutate(payload, path, (parent, key) => {
            if (Array.isArray(parent)) parent.splice(Number(key), 1);
            else delete parent[key];
          }),
        ],
      ];
      for (const [kind, mutated] of mutations) {
        const zodOk = validateConfigPayload(mutated).ok;
        const guard = guardPayload(mutated);
        if (!zodOk) refusals += 1;
        if (zodOk && !guard.ok) mismatches.push(`${name} ${kind}: refused, though core accepts it`);
        if (!zodOk && guard.ok) mismatches.push(`${name} ${kind}`);
      }
    }
    expect(mismatches).toEqual([]);
    expect(refusals).toBeGreaterThan(100);
  });

  it.each([
    ['not an object', 'null', ''],
    ['an array', '[]', ''],
    ['another schema version', '{"schemaVersion":2}', '/schemaVersion'],
    ['another hash version', '{"hashVersion":2}', '/hashVersion'],
    ['a negative version', '{"version":-1}', '/version'],
    ['a fractional version', '{"version":1.5}', '/version'],
    ['an environment that is not a key', '{"environment":"Prod Env"}', '/environment'],
  ])('refuses %s, with the path of the problem', (_name, patch, path) => {
    const parsed: Json = JSON.parse(patch);
    const mutated =
      typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
        ? { ...fullPayload(), ...parsed }
        : parsed;
    expect(validateConfigPayload(mutated).ok).toBe(false);
    const result = guardPayload(mutated);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues[0]?.path).toBe(path);
  });

  it('refuses unknown enums, bad keys, unknown variants, values of the wrong type and out-of-range numbers', () => {
    const cases: [string, (payload: ConfigPayload & Record<string, unknown>) => void][] = [
      ['flag type', (p) => Object.assign(p.flags[0] as object, { type: 'date' })],
      ['flag key', (p) => Object.assign(p.flags[0] as object, { key: '-bad' })],
      [
        'no variants',
        (p) => Object.assign(p.flags[1] as object, { variants: [], defaultVariant: 'x', offVariant: 'x' }),
      ],
      ['unknown default variant', (p) => Object.assign(p.flags[0] as object, { defaultVariant: 'missing' })],
      ['unknown off variant', (p) => Object.assign(p.flags[0] as object, { offVariant: 'missing' })],
      [
        'variant value of another type',
        (p) => Object.assign(p.flags[1]?.variants[0] as object, { value: 'yes' }),
      ],
      [
        'infinite number value',
        (p) =>
          Object.assign(p.flags[1] as object, {
            type: 'number',
            variants: [
              { key: 'on', value: Number.POSITIVE_INFINITY },
              { key: 'off', value: 0 },
            ],
          }),
      ],
      ['rule type', (p) => Object.assign(p.flags[0]?.rules?.[0] as object, { type: 'split' })],
      [
        'rule variant unknown',
        (p) => Object.assign(p.flags[0]?.rules?.[0] as object, { variant: 'missing' }),
      ],
      ['rollout fraction above 1', (p) => Object.assign(p.flags[0]?.rules?.[1] as object, { fraction: 1.5 })],
      [
        'rollout fraction NaN',
        (p) => Object.assign(p.flags[0]?.rules?.[1] as object, { fraction: Number.NaN }),
      ],
      [
        'experiment rule variant unknown',
        (p) => Object.assign(p.flags[0]?.rules?.[2] as object, { variants: { control: 'missing' } }),
      ],
      [
        'override variant unknown',
        (p) => Object.assign(p.flags[0]?.overrides?.[0] as object, { variant: 'missing' }),
      ],
      ['override without values', (p) => Object.assign(p.flags[0]?.overrides?.[0] as object, { values: [] })],
      [
        'prerequisite without variants',
        (p) => Object.assign(p.flags[0]?.prerequisites?.[0] as object, { variants: [] }),
      ],
      [
        'unknown operator',
        (p) => Object.assign(p.flags[0]?.rules?.[0]?.conditions?.[0] as object, { operator: 'like' }),
      ],
      [
        'membership without values',
        (p) => Object.assign(p.flags[0]?.rules?.[0]?.conditions?.[0] as object, { value: [] }),
      ],
      [
        'condition value an object',
        (p) => Object.assign(p.segments[0]?.conditions[0] as object, { value: { a: 1 } }),
      ],
      ['empty all', (p) => Object.assign(p.flags[0]?.rules?.[0]?.conditions?.[3] as object, { all: [] })],
      ['segment without conditions', (p) => Object.assign(p.segments[0] as object, { conditions: [] })],
      [
        'segment reference not a key',
        (p) =>
          Object.assign(p.flags[0]?.rules?.[0]?.conditions?.[1] as object, { any: [{ segment: 'Beta!' }] }),
      ],
      ['experiment without variations', (p) => Object.assign(p.experiments[0] as object, { variations: [] })],
      [
        'variation weight negative',
        (p) => Object.assign(p.experiments[0]?.variations[0] as object, { weight: -0.5 }),
      ],
      ['coverage above 1', (p) => Object.assign(p.experiments[0] as object, { coverage: 2 })],
      [
        'layer range start not a number',
        (p) => Object.assign(p.experiments[0]?.layer?.range as object, { start: '0' }),
      ],
      ['holdout fraction missing', (p) => Object.assign(p.holdouts[0] as object, { fraction: undefined })],
      [
        'holdout layer key not a key',
        (p) => Object.assign(p.holdouts[0] as object, { layerKey: 'Layer One' }),
      ],
      [
        'sticky bucketing not a boolean',
        (p) => Object.assign(p.experiments[0] as object, { stickyBucketing: 'yes' }),
      ],
    ];
    for (const [name, change] of cases) {
      const payload = fullPayload() as ConfigPayload & Record<string, unknown>;
      change(payload);
      expect(validateConfigPayload(payload).ok, name).toBe(false);
      expect(guardPayload(payload).ok, name).toBe(false);
    }
  });

  it('refuses, with the path of the problem, what a structural check alone let through: formats, patterns, weight sums and references', () => {
    type Patch = (payload: ConfigPayload & Record<string, unknown>) => void;
    const condition = (p: ConfigPayload) => p.flags[0]?.rules?.[0]?.conditions?.[0] as object;
    const cases: [string, Patch, string][] = [
      [
        'a pattern the linear-time engine refuses',
        (p) => Object.assign(condition(p), { operator: 'matches', value: '(a)\\1' }),
        '/flags/0/rules/0/conditions/0/value',
      ],
      [
        'a version that is not semantic',
        (p) => Object.assign(condition(p), { operator: 'semver_gte', value: '1.2' }),
        '/flags/0/rules/0/conditions/0/value',
      ],
      [
        'an order value that is neither a number nor a date',
        (p) => Object.assign(condition(p), { operator: 'gt', value: 'soon' }),
        '/flags/0/rules/0/conditions/0/value',
      ],
      [
        'weights that do not sum to 1',
        (p) => Object.assign(p.experiments[0]?.variations[0] as object, { weight: 0.4 }),
        '/experiments/0/variations',
      ],
      [
        'a segment nobody defined',
        (p) => Object.assign(p, { segments: [] }),
        '/flags/0/rules/0/conditions/1/any/1/segment',
      ],
      ['a prerequisite on no flag', (p) => p.flags.pop(), '/flags/0/prerequisites/0/flagKey'],
    ];
    for (const [name, change, path] of cases) {
      const payload = fullPayload() as ConfigPayload & Record<string, unknown>;
      change(payload);
      expect(validateConfigPayload(payload).ok, name).toBe(false);
      const result = guardPayload(payload);
      expect(result.ok, name).toBe(false);
      if (!result.ok)
        expect(
          result.issues.map((issue) => issue.path),
          name,
        ).toContain(path);
    }
  });

  it('refuses conditions nested deeper than core allows, without exhausting the stack on deeper ones', () => {
    const nest = (levels: number): Json => {
      let condition: Json = { attribute: 'a', operator: 'exists' };
      for (let i = 1; i < levels; i++) condition = { not: condition };
      return condition;
    };
    for (const [levels, ok] of [
      [10, true],
      [11, false],
      [100_000, false],
    ] as const) {
      const payload = fullPayload();
      (payload.segments[0] as { conditions: Json[] }).conditions = [nest(levels)];
      expect(guardPayload(payload).ok, `${levels} levels`).toBe(ok);
    }
  });
});
