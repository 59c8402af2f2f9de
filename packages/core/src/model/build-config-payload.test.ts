import { describe, expect, it } from 'vitest';
import { buildConfigPayload } from './build-config-payload.js';
import type { Flag } from './flag.js';
import { validateConfigPayload } from './validate.js';

const flag = (key: string, environments: Flag['environments']): Flag => ({
  key,
  name: `Flag ${key}`,
  description: 'internal notes',
  type: 'string',
  variants: [
    { key: 'a', value: 'A', name: 'Variant A' },
    { key: 'b', value: 'B' },
  ],
  defaultVariant: 'a',
  offVariant: 'a',
  environments,
});

const input = {
  environment: 'production',
  version: 12,
  flags: [
    flag('checkout', {
      production: {
        enabled: true,
        rules: [
          { id: 'seg', type: 'force' as const, variant: 'b', conditions: [{ segment: 'beta' }] },
          { id: 'exp', type: 'experiment' as const, experimentKey: 'exp-in-layer' },
        ],
      },
      staging: {
        enabled: true,
        rules: [{ id: 'exp', type: 'experiment' as const, experimentKey: 'staging-only' }],
      },
    }),
    flag('not-in-production', { staging: { enabled: true } }),
  ],
  segments: [
    {
      key: 'beta',
      name: 'Beta',
      conditions: [
        { any: [{ segment: 'staff' }, { attribute: 'beta', operator: 'eq' as const, value: true }] },
      ],
    },
    {
      key: 'staff',
      conditions: [{ attribute: 'email', operator: 'ends_with' as const, value: '@cleave.dev' }],
    },
    { key: 'unused', conditions: [{ attribute: 'x', operator: 'exists' as const }] },
  ],
  experiments: [
    {
      key: 'exp-in-layer',
      name: 'Checkout test',
      variations: [
        { key: 'a', weight: 0.5, name: 'Control' },
        { key: 'b', weight: 0.5 },
      ],
      layer: { key: 'checkout', range: { start: 0, end: 0.5 } },
    },
    { key: 'staging-only', variations: [{ key: 'a', weight: 1 }] },
  ],
  layers: [{ key: 'checkout', description: 'checkout page' }, { key: 'other' }],
  holdouts: [
    { key: 'global', fraction: 0.05 },
    { key: 'checkout-holdout', fraction: 0.1, layerKey: 'checkout' },
    { key: 'other-holdout', fraction: 0.1, layerKey: 'other' },
  ],
};

describe('buildConfigPayload', () => {
  const payload = buildConfigPayload({ ...input, generatedAt: '2026-01-01T00:00:00Z' });

  it('produces a valid payload with envelope versions', () => {
    expect(validateConfigPayload(payload)).toMatchObject({ ok: true });
    expect(payload).toMatchObject({
      schemaVersion: 1,
      hashVersion: 1,
      environment: 'production',
      version: 12,
      generatedAt: '2026-01-01T00:00:00Z',
    });
  });

  it("flattens each flag to this environment's state and drops names and descriptions", () => {
    expect(payload.flags[0]).toEqual({
      key: 'checkout',
      type: 'string',
      variants: [
        { key: 'a', value: 'A' },
        { key: 'b', value: 'B' },
      ],
      defaultVariant: 'a',
      offVariant: 'a',
      enabled: true,
      rules: input.flags[0]?.environments.production?.rules,
    });
  });

  it('includes flags without state in this environment as disabled', () => {
    expect(payload.flags[1]).toMatchObject({ key: 'not-in-production', enabled: false });
    expect(payload.flags[1]?.rules).toBeUndefined();
  });

  it('ships only the definitions this environment can reach', () => {
    expect(payload.segments.map((segment) => segment.key).sort()).toEqual(['beta', 'staff']);
    expect(payload.experiments.map((experiment) => experiment.key)).toEqual(['exp-in-layer']);
    expect(payload.experiments[0]?.variations).toEqual([
      { key: 'a', weight: 0.5 },
      { key: 'b', weight: 0.5 },
    ]);
    expect(payload.layers).toEqual([{ key: 'checkout' }]);
    expect(payload.holdouts.map((holdout) => holdout.key)).toEqual(['global', 'checkout-holdout']);
    expect(JSON.stringify(payload)).not.toMatch(/Checkout test|internal notes|Variant A|checkout page/);
  });

  it('omits generatedAt when not given (core reads no clock)', () => {
    expect('generatedAt' in buildConfigPayload(input)).toBe(false);
  });
});
