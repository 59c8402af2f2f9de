import { describe, expect, it } from 'vitest';
import { definitionReferences } from './definition-references.js';
import type { Flag } from './flag.js';

describe('definitionReferences', () => {
  it('lists a flag’s prerequisites, rule segments (nested too) and experiments, once each', () => {
    const flag: Flag = {
      key: 'checkout',
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
          prerequisites: [{ flagKey: 'new-cart', variants: ['on'] }],
          rules: [
            {
              id: 'eu',
              type: 'force',
              variant: 'on',
              conditions: [{ any: [{ segment: 'eu' }, { not: { all: [{ segment: 'beta' }] } }] }],
            },
            { id: 'test', type: 'experiment', experimentKey: 'cta', conditions: [{ segment: 'eu' }] },
          ],
        },
        staging: { enabled: false, prerequisites: [{ flagKey: 'new-cart', variants: ['off'] }] },
      },
    };
    expect(definitionReferences('flags', flag)).toEqual([
      { kind: 'flags', key: 'new-cart' },
      { kind: 'segments', key: 'eu' },
      { kind: 'segments', key: 'beta' },
      { kind: 'experiments', key: 'cta' },
    ]);
  });

  it('lists a segment’s segments, an experiment’s and a holdout’s layer, and nothing for a layer', () => {
    expect(
      definitionReferences('segments', {
        key: 'eu-pro',
        conditions: [{ segment: 'eu' }, { attribute: 'plan', operator: 'eq', value: 'pro' }],
      }),
    ).toEqual([{ kind: 'segments', key: 'eu' }]);
    expect(
      definitionReferences('experiments', {
        key: 'cta',
        variations: [{ key: 'a', weight: 1 }],
        layer: { key: 'checkout', range: { start: 0, end: 0.5 } },
      }),
    ).toEqual([{ kind: 'layers', key: 'checkout' }]);
    expect(
      definitionReferences('experiments', { key: 'solo', variations: [{ key: 'a', weight: 1 }] }),
    ).toEqual([]);
    expect(definitionReferences('holdouts', { key: 'h', fraction: 0.1, layerKey: 'checkout' })).toEqual([
      { kind: 'layers', key: 'checkout' },
    ]);
    expect(definitionReferences('layers', { key: 'checkout' })).toEqual([]);
  });
});
