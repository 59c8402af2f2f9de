import { describe, expect, it } from 'vitest';
import { booleanFlag, payloadOf } from '../test-support/payload.js';
import type { Flag } from './flag.js';
import {
  validateConfigPayload,
  validateDefinitionSet,
  validateExperiment,
  validateFlag,
  validateHoldout,
  validateLayer,
  validateSegment,
} from './validate.js';
import type { ValidationResult } from './validation-result.js';

function issuePaths(result: ValidationResult<unknown>): string[] {
  return result.ok ? [] : result.issues.map((issue) => issue.path).sort();
}

function messageAt(result: ValidationResult<unknown>, path: string): string | undefined {
  return result.ok ? undefined : result.issues.find((issue) => issue.path === path)?.message;
}

const validFlag: Flag = {
  key: 'new-checkout',
  name: 'New checkout',
  type: 'boolean',
  variants: [
    { key: 'on', value: true },
    { key: 'off', value: false },
  ],
  defaultVariant: 'off',
  offVariant: 'off',
  environments: {
    production: {
      enabled: true,
      overrides: [{ values: ['qa-1'], variant: 'on' }],
      rules: [
        {
          id: 'beta',
          type: 'force',
          variant: 'on',
          conditions: [
            { attribute: 'user.country', operator: 'in', value: ['NL', 'BE'] },
            { any: [{ attribute: 'plan', operator: 'eq', value: 'pro' }, { not: { segment: 'internal' } }] },
          ],
          schedule: { from: '2025-01-01T00:00:00Z', until: '2026-01-01' },
        },
        { id: 'ramp', type: 'rollout', variant: 'on', fraction: 0.25 },
      ],
    },
  },
};

describe('validateFlag', () => {
  it('accepts a valid flag and returns the parsed value', () => {
    const result = validateFlag(validFlag);
    expect(result).toEqual({ ok: true, value: validFlag });
  });

  it('reports the path of every bad field at once', () => {
    const result = validateFlag({
      key: 'Bad Key',
      type: 'boolean',
      variants: [
        { key: 'on', value: 'yes' },
        { key: 'on', value: false },
      ],
      defaultVariant: 'missing',
      offVariant: 'on',
      environments: {
        'prod.eu': {
          enabled: 'yes',
          rules: [],
        },
        production: {
          enabled: true,
          prerequisites: [{ flagKey: 'Bad Key', variants: [] }],
          overrides: [{ values: ['qa'], variant: 'nope' }],
          rules: [
            {
              id: 'r1',
              type: 'force',
              variant: 'onn',
              conditions: [
                { attribute: 'email', operator: 'matches', value: '^(a)\\1$' },
                { all: [{ attribute: 'created', operator: 'gt', value: 'yesterday' }] },
                { attribute: 'version', operator: 'semver_gte', value: '1.2' },
                { attribute: 'x', operator: 'near', value: 1 },
                { attribute: '', operator: 'exists' },
              ],
              schedule: { from: '2026-01-01T00:00:00Z', until: '2025-01-01T00:00:00Z' },
            },
            { id: 'r1', type: 'rollout', variant: 'on', fraction: 1.5 },
            { id: 'r3', type: 'teleport' },
          ],
        },
      },
    });
    expect(issuePaths(result)).toEqual(
      [
        // Cross-field checks (variant values of the flag's type…) run once the shape is valid.
        '/key',
        '/environments/prod.eu/enabled',
        '/environments/production/prerequisites/0/flagKey',
        '/environments/production/prerequisites/0/variants',
        '/environments/production/rules/0/conditions/0/value',
        '/environments/production/rules/0/conditions/1/all/0/value',
        '/environments/production/rules/0/conditions/2/value',
        '/environments/production/rules/0/conditions/3/operator',
        '/environments/production/rules/0/conditions/4/attribute',
        '/environments/production/rules/0/schedule/until',
        '/environments/production/rules/1/fraction',
        '/environments/production/rules/2/type',
      ].sort(),
    );
  });

  it('reports cross-field problems once the shape is valid', () => {
    const result = validateFlag({
      ...validFlag,
      variants: [
        { key: 'on', value: 'yes' },
        { key: 'on', value: false },
      ],
      defaultVariant: 'missing',
      environments: {
        production: {
          enabled: true,
          prerequisites: [{ flagKey: 'new-checkout', variants: ['on'] }],
          overrides: [
            { values: ['qa'], variant: 'nope' },
            { values: ['qa'], variant: 'on' },
          ],
          rules: [
            { id: 'r1', type: 'force', variant: 'onn' },
            { id: 'r1', type: 'experiment', experimentKey: 'exp', variants: { treatment: 'maybe' } },
          ],
        },
      },
    });
    expect(issuePaths(result)).toEqual(
      [
        '/variants/0/value',
        '/variants/1/key',
        '/defaultVariant',
        '/offVariant',
        '/environments/production/rules/0/variant',
        '/environments/production/rules/1/id',
        '/environments/production/rules/1/variants/treatment',
        '/environments/production/overrides/0/variant',
        '/environments/production/overrides/1/values/0',
        '/environments/production/prerequisites/0/flagKey',
      ].sort(),
    );
    expect(messageAt(result, '/variants/0/value')).toContain('boolean');
    expect(messageAt(result, '/environments/production/rules/0/variant')).toBe('unknown variant "onn"');
  });

  it('names the expected types of a scalar union', () => {
    const result = validateFlag({
      ...validFlag,
      environments: {
        production: {
          enabled: true,
          rules: [
            {
              id: 'r',
              type: 'force',
              variant: 'on',
              conditions: [{ attribute: 'a', operator: 'eq', value: {} }],
            },
          ],
        },
      },
    });
    expect(messageAt(result, '/environments/production/rules/0/conditions/0/value')).toMatch(
      /string or number or boolean/,
    );
  });

  it('rejects patterns outside the linear-time subset with a reason, accepts catastrophic-for-backtracking ones', () => {
    const withPattern = (pattern: string) =>
      validateFlag({
        ...validFlag,
        environments: {
          production: {
            enabled: true,
            rules: [
              {
                id: 'r',
                type: 'force',
                variant: 'on',
                conditions: [{ attribute: 'a', operator: 'matches', value: pattern }],
              },
            ],
          },
        },
      });
    const path = '/environments/production/rules/0/conditions/0/value';
    expect(withPattern('^(\\w+\\s?)*$').ok).toBe(true);
    expect(messageAt(withPattern('(a)\\1'), path)).toMatch(/backreference/);
    expect(messageAt(withPattern('(?=a)'), path)).toMatch(/lookaround/);
    expect(messageAt(withPattern('(unclosed'), path)).toMatch(/unterminated group/);
    expect(messageAt(withPattern('x'.repeat(501)), path)).toMatch(/at most 500/);
    expect(withPattern('^[a-z]+@example\\.(com|org)$').ok).toBe(true);
  });

  it('checks variant values against the flag type', () => {
    const typed = (type: string, value: unknown) =>
      validateFlag({
        key: 'f',
        type,
        variants: [{ key: 'a', value }],
        defaultVariant: 'a',
        offVariant: 'a',
        environments: {},
      }).ok;
    expect(typed('string', 'x')).toBe(true);
    expect(typed('string', 1)).toBe(false);
    expect(typed('number', 1.5)).toBe(true);
    expect(typed('number', '1')).toBe(false);
    expect(typed('json', { nested: [1, 'two', null] })).toBe(true);
    expect(typed('json', null)).toBe(true);
    expect(typed('boolean', null)).toBe(false);
  });

  it('never throws, even on absurdly deep input', () => {
    let condition: unknown = { attribute: 'a', operator: 'exists' };
    for (let i = 0; i < 20_000; i++) condition = { not: condition };
    const result = validateFlag({
      ...validFlag,
      environments: {
        production: {
          enabled: true,
          rules: [{ id: 'r', type: 'force', variant: 'on', conditions: [condition] }],
        },
      },
    });
    expect(result.ok).toBe(false);
    for (const garbage of [undefined, null, 42, 'flag', [], () => 1, Symbol('x')]) {
      expect(validateFlag(garbage).ok).toBe(false);
    }
  });
});

describe('condition depth', () => {
  it('rejects conditions nested deeper than 10 levels, naming the first too-deep one', () => {
    const nested = (depth: number) => {
      let condition: unknown = { attribute: 'a', operator: 'exists' };
      for (let i = 1; i < depth; i++) condition = { not: condition };
      return validateSegment({ key: 's', conditions: [condition] });
    };
    expect(nested(10).ok).toBe(true);
    expect(issuePaths(nested(11))).toEqual([`/conditions/0${'/not'.repeat(10)}`]);
  });
});

describe('validateExperiment', () => {
  const experiment = {
    key: 'checkout-test',
    variations: [
      { key: 'control', weight: 0.1 },
      { key: 'a', weight: 0.2 },
      { key: 'b', weight: 0.7 },
    ],
    coverage: 0.5,
    layer: { key: 'checkout', range: { start: 0, end: 0.5 } },
  };

  it('accepts weights that sum to 1 within 1e-9 (0.1 + 0.2 + 0.7 is not exactly 1 in floating point)', () => {
    expect(validateExperiment(experiment).ok).toBe(true);
  });

  it('reports weights, duplicate variations, coverage and range problems with paths', () => {
    const result = validateExperiment({
      ...experiment,
      seed: 'has~tilde',
      variations: [
        { key: 'control', weight: 0.5 },
        { key: 'control', weight: 0.6 },
      ],
      coverage: 2,
      layer: { key: 'checkout', range: { start: 0.6, end: 0.4 } },
    });
    expect(issuePaths(result)).toEqual([
      '/coverage',
      '/layer/range/end',
      '/seed',
      '/variations',
      '/variations/1/key',
    ]);
    const sums = validateExperiment({
      ...experiment,
      variations: [
        { key: 'a', weight: 0.5 },
        { key: 'a', weight: 0.6 },
      ],
    });
    expect(issuePaths(sums)).toEqual(['/variations', '/variations/1/key']);
    expect(messageAt(sums, '/variations')).toMatch(/sum to 1/);
  });
});

describe('validateSegment, validateLayer, validateHoldout', () => {
  it('validate their own fields', () => {
    expect(
      validateSegment({ key: 'beta', conditions: [{ attribute: 'beta', operator: 'eq', value: true }] }).ok,
    ).toBe(true);
    expect(issuePaths(validateSegment({ key: 'beta', conditions: [] }))).toEqual(['/conditions']);
    expect(validateLayer({ key: 'checkout' }).ok).toBe(true);
    expect(issuePaths(validateLayer({ key: '' }))).toEqual(['/key']);
    expect(validateHoldout({ key: 'global', fraction: 0.05 }).ok).toBe(true);
    expect(issuePaths(validateHoldout({ key: 'global', fraction: -1, layerKey: 'Nope' }))).toEqual([
      '/fraction',
      '/layerKey',
    ]);
  });
});

describe('validateDefinitionSet', () => {
  const experiment = {
    key: 'exp',
    variations: [
      { key: 'control', weight: 0.5 },
      { key: 'treatment', weight: 0.5 },
    ],
  };

  it('accepts a consistent set', () => {
    const result = validateDefinitionSet({
      flags: [
        {
          ...validFlag,
          environments: {
            production: {
              enabled: true,
              prerequisites: [{ flagKey: 'base', variants: ['on'] }],
              rules: [
                { id: 'seg', type: 'force', variant: 'on', conditions: [{ segment: 'internal' }] },
                {
                  id: 'exp',
                  type: 'experiment',
                  experimentKey: 'exp',
                  variants: { control: 'off', treatment: 'on' },
                },
              ],
            },
          },
        },
        { ...validFlag, key: 'base', environments: {} },
      ],
      segments: [
        {
          key: 'internal',
          conditions: [{ attribute: 'email', operator: 'ends_with', value: '@cleave.dev' }],
        },
      ],
      experiments: [experiment],
      layers: [],
      holdouts: [],
    });
    expect(result.ok ? [] : result.issues).toEqual([]);
  });

  it('reports unresolved references, overlaps, cycles and duplicates with paths', () => {
    const result = validateDefinitionSet({
      flags: [
        {
          ...validFlag,
          key: 'a',
          environments: {
            production: {
              enabled: true,
              prerequisites: [
                { flagKey: 'b', variants: ['on', 'maybe'] },
                { flagKey: 'ghost', variants: ['on'] },
              ],
              rules: [
                { id: 'r0', type: 'force', variant: 'on', conditions: [{ any: [{ segment: 'nope' }] }] },
                { id: 'r1', type: 'experiment', experimentKey: 'missing' },
                { id: 'r2', type: 'experiment', experimentKey: 'exp', variants: { other: 'on' } },
              ],
            },
          },
        },
        {
          ...validFlag,
          key: 'b',
          environments: {
            production: { enabled: true, prerequisites: [{ flagKey: 'a', variants: ['on'] }] },
          },
        },
        { ...validFlag, key: 'b', environments: {} },
      ],
      segments: [
        { key: 's1', conditions: [{ segment: 's2' }] },
        { key: 's2', conditions: [{ not: { segment: 's1' } }] },
      ],
      experiments: [
        { ...experiment, layer: { key: 'layer', range: { start: 0, end: 0.6 } } },
        {
          ...experiment,
          key: 'exp2',
          hashAttribute: 'deviceId',
          layer: { key: 'layer', range: { start: 0.5, end: 1 } },
        },
        { ...experiment, key: 'exp3', layer: { key: 'unknown-layer', range: { start: 0, end: 1 } } },
      ],
      layers: [{ key: 'layer' }],
      holdouts: [{ key: 'h', fraction: 0.1, layerKey: 'nowhere' }],
    });
    expect(issuePaths(result)).toEqual(
      [
        '/flags/2/key',
        '/flags/0/environments/production/prerequisites/0/variants/1',
        '/flags/0/environments/production/prerequisites/1/flagKey',
        '/flags/0/environments/production/rules/0/conditions/0/any/0/segment',
        '/flags/0/environments/production/rules/1/experimentKey',
        // Both variations (control, treatment) map to no variant of the flag.
        '/flags/0/environments/production/rules/2/variants',
        '/flags/0/environments/production/rules/2/variants',
        '/flags/0/environments/production/rules/2/variants/other',
        '/flags/1/environments/production/prerequisites/0/flagKey',
        '/segments/1/conditions/0/not/segment',
        '/experiments/1/layer/range',
        '/experiments/1/hashAttribute',
        '/experiments/2/layer/key',
        '/holdouts/0/layerKey',
      ].sort(),
    );
    expect(messageAt(result, '/flags/1/environments/production/prerequisites/0/flagKey')).toBe(
      'prerequisite cycle: a → b → a',
    );
    expect(messageAt(result, '/segments/1/conditions/0/not/segment')).toBe('segment cycle: s1 → s2 → s1');
    expect(messageAt(result, '/experiments/1/layer/range')).toMatch(/overlaps experiment "exp"/);
  });
});

describe('validateConfigPayload', () => {
  it('accepts a valid payload', () => {
    expect(validateConfigPayload(payloadOf({ flags: [booleanFlag('a')] })).ok).toBe(true);
  });

  it('rejects unknown schema and hash versions', () => {
    const result = validateConfigPayload({ ...payloadOf(), schemaVersion: 2, hashVersion: 7 });
    expect(issuePaths(result)).toEqual(['/hashVersion', '/schemaVersion']);
  });

  it('checks references inside the payload', () => {
    const result = validateConfigPayload(
      payloadOf({
        flags: [
          booleanFlag('a', { rules: [{ id: 'e', type: 'experiment', experimentKey: 'nope' }] }),
          booleanFlag('a'),
        ],
      }),
    );
    expect(issuePaths(result)).toEqual(['/flags/0/rules/0/experimentKey', '/flags/1/key']);
  });
});
