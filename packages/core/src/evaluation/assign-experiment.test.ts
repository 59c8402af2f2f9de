import { describe, expect, it } from 'vitest';
import type { Experiment } from '../model/experiment.js';
import type { Holdout } from '../model/holdout.js';
import { booleanFlag, payloadOf } from '../test-support/payload.js';
import { compileConfig } from './compile-config.js';
import { evaluate } from './evaluate.js';
import { MemoryStickyBucketStore, type StickyBucketStore } from './sticky-bucket-store.js';
import type { RuleTraceEntry } from './trace.js';

const UNITS = 10_000;
const units = Array.from({ length: UNITS }, (_, i) => `user-${i}`);

const abFlag = (key: string, experimentKey: string) =>
  booleanFlag(key, {
    rules: [
      { id: 'test', type: 'experiment', experimentKey, variants: { control: 'off', treatment: 'on' } },
      { id: 'fallback', type: 'force', variant: 'off' },
    ],
  });

const abExperiment = (key: string, extra: Partial<Experiment> = {}): Experiment => ({
  key,
  variations: [
    { key: 'control', weight: 0.5 },
    { key: 'treatment', weight: 0.5 },
  ],
  ...extra,
});

function compileWith(experiments: Experiment[], holdouts: Holdout[] = [], layers = [{ key: 'checkout' }]) {
  return compileConfig(
    payloadOf({
      flags: experiments.map((experiment) => abFlag(`flag-${experiment.key}`, experiment.key)),
      experiments,
      layers,
      holdouts,
    }),
  );
}

/** Each unit's variation in the experiment behind `flag-<key>`, or undefined when not in it. */
function variations(compiled: ReturnType<typeof compileConfig>, key: string, store?: StickyBucketStore) {
  return units.map((unit) => {
    const result = evaluate(compiled, `flag-${key}`, { targetingKey: unit }, { stickyBucketStore: store });
    return result.assignment?.variationKey;
  });
}

describe('experiment assignment', () => {
  it('serves the mapped variant with SPLIT, experiment metadata and an exposure record', () => {
    const compiled = compileWith([abExperiment('checkout')]);
    const result = evaluate(compiled, 'flag-checkout', { targetingKey: 'user-1' });
    expect(result.reason).toBe('SPLIT');
    expect(result.flagMetadata).toMatchObject({
      experimentKey: 'checkout',
      inExperiment: true,
      ruleId: 'test',
    });
    expect(result.assignment).toMatchObject({
      flagKey: 'flag-checkout',
      experimentKey: 'checkout',
      unitId: 'user-1',
      hashAttribute: 'targetingKey',
      sticky: false,
    });
    const expectedVariant = result.assignment?.variationKey === 'treatment' ? 'on' : 'off';
    expect(result.variant).toBe(expectedVariant);
    expect(result.flagMetadata.variationKey).toBe(result.assignment?.variationKey);
  });

  it('splits units by the weights', () => {
    const compiled = compileWith([
      abExperiment('weighted', {
        variations: [
          { key: 'control', weight: 0.8 },
          { key: 'treatment', weight: 0.2 },
        ],
      }),
    ]);
    const treated = variations(compiled, 'weighted').filter((variation) => variation === 'treatment').length;
    expect(treated / UNITS).toBeGreaterThan(0.18);
    expect(treated / UNITS).toBeLessThan(0.22);
  });

  it('hashes the configured attribute', () => {
    const compiled = compileWith([abExperiment('by-device', { hashAttribute: 'deviceId' })]);
    const a = evaluate(compiled, 'flag-by-device', { targetingKey: 'u1', deviceId: 'd1' });
    const b = evaluate(compiled, 'flag-by-device', { targetingKey: 'u2', deviceId: 'd1' });
    expect(a.assignment?.unitId).toBe('d1');
    expect(a.assignment?.variationKey).toBe(b.assignment?.variationKey);
  });
});

describe('coverage', () => {
  it('raising coverage adds units without moving those already in', () => {
    const at = (coverage: number) => variations(compileWith([abExperiment('cov', { coverage })]), 'cov');
    const half = at(0.5);
    const most = at(0.8);
    const inHalf = half.filter((variation) => variation !== undefined).length;
    expect(inHalf / UNITS).toBeGreaterThan(0.47);
    expect(inHalf / UNITS).toBeLessThan(0.53);
    half.forEach((variation, i) => {
      if (variation !== undefined) expect(most[i]).toBe(variation);
    });
    expect(most.filter((variation) => variation !== undefined).length).toBeGreaterThan(inHalf);
  });

  it('lets units outside coverage fall through to later rules, and says so in the trace', () => {
    const compiled = compileWith([abExperiment('cov', { coverage: 0.1 })]);
    const outside = units
      .map((unit) => evaluate(compiled, 'flag-cov', { targetingKey: unit }, { explain: true }))
      .find((result) => result.assignment === undefined);
    expect(outside).toMatchObject({ reason: 'TARGETING_MATCH', flagMetadata: { ruleId: 'fallback' } });
    const entry = outside?.trace?.[0] as RuleTraceEntry;
    expect(entry).toMatchObject({ outcome: 'outside_coverage', experimentKey: 'cov', threshold: 0.1 });
    expect(entry.bucket).toBeGreaterThanOrEqual(0.1);
  });
});

describe('layers', () => {
  const inLayer = (start: number, end: number) => ({ layer: { key: 'checkout', range: { start, end } } });

  it('keeps experiments with disjoint ranges of one layer mutually exclusive', () => {
    const compiled = compileWith([
      abExperiment('left', inLayer(0, 0.3)),
      abExperiment('right', inLayer(0.3, 1)),
    ]);
    const left = variations(compiled, 'left');
    const right = variations(compiled, 'right');
    let inBoth = 0;
    let inNeither = 0;
    left.forEach((variation, i) => {
      if (variation !== undefined && right[i] !== undefined) inBoth++;
      if (variation === undefined && right[i] === undefined) inNeither++;
    });
    expect(inBoth).toBe(0);
    expect(inNeither).toBe(0);
    const share = left.filter((variation) => variation !== undefined).length / UNITS;
    expect(share).toBeGreaterThan(0.28);
    expect(share).toBeLessThan(0.32);
  });

  it('explains that a unit fell outside the layer range', () => {
    const compiled = compileWith([abExperiment('left', inLayer(0, 0.3))]);
    const outside = units
      .map((unit) => evaluate(compiled, 'flag-left', { targetingKey: unit }, { explain: true }))
      .find((result) => result.assignment === undefined);
    expect(outside?.trace?.[0]).toMatchObject({ outcome: 'outside_layer' });
    expect(outside?.trace?.[0]?.message).toMatch(/outside the experiment's range \[0, 0.3\)/);
  });

  it('marks experiments with an unknown layer as broken', () => {
    const compiled = compileWith([
      abExperiment('lost', { layer: { key: 'nowhere', range: { start: 0, end: 1 } } }),
    ]);
    expect(evaluate(compiled, 'flag-lost', { targetingKey: 'u1' })).toMatchObject({
      errorCode: 'PARSE_ERROR',
      variant: 'off',
    });
  });
});

describe('holdouts', () => {
  it('excludes the same units from every experiment of the project', () => {
    const compiled = compileWith(
      [abExperiment('first'), abExperiment('second')],
      [{ key: 'global', fraction: 0.1 }],
    );
    const first = variations(compiled, 'first');
    const second = variations(compiled, 'second');
    first.forEach((variation, i) => {
      expect(variation === undefined).toBe(second[i] === undefined);
    });
    const heldOut = first.filter((variation) => variation === undefined).length / UNITS;
    expect(heldOut).toBeGreaterThan(0.08);
    expect(heldOut).toBeLessThan(0.12);
  });

  it('limits a layer holdout to that layer', () => {
    const compiled = compileWith(
      [
        abExperiment('layered', { layer: { key: 'checkout', range: { start: 0, end: 1 } } }),
        abExperiment('free'),
      ],
      [{ key: 'checkout-holdout', fraction: 0.2, layerKey: 'checkout' }],
    );
    expect(variations(compiled, 'free').every((variation) => variation !== undefined)).toBe(true);
    const heldOut =
      variations(compiled, 'layered').filter((variation) => variation === undefined).length / UNITS;
    expect(heldOut).toBeGreaterThan(0.18);
    expect(heldOut).toBeLessThan(0.22);
  });

  it('names the holdout in the trace', () => {
    const compiled = compileWith([abExperiment('first')], [{ key: 'global', fraction: 0.5 }]);
    const held = units
      .map((unit) => evaluate(compiled, 'flag-first', { targetingKey: unit }, { explain: true }))
      .find((result) => result.assignment === undefined);
    expect(held?.trace?.[0]).toMatchObject({ outcome: 'in_holdout', holdoutKey: 'global', threshold: 0.5 });
  });
});

describe('sticky bucketing', () => {
  const before = abExperiment('sticky', { stickyBucketing: true });
  const after = abExperiment('sticky', {
    stickyBucketing: true,
    variations: [
      { key: 'control', weight: 0.1 },
      { key: 'treatment', weight: 0.9 },
    ],
  });

  it('keeps assigned units in their variation when weights change', () => {
    const store = new MemoryStickyBucketStore();
    const first = variations(compileWith([before]), 'sticky', store);
    const withStore = variations(compileWith([after]), 'sticky', store);
    const withoutStore = variations(compileWith([after]), 'sticky');
    expect(withStore).toEqual(first);
    expect(withoutStore).not.toEqual(first);
    const result = evaluate(
      compileWith([after]),
      'flag-sticky',
      { targetingKey: 'user-1' },
      { stickyBucketStore: store },
    );
    expect(result.assignment).toMatchObject({ sticky: true, bucket: undefined });
  });

  it('ignores stored variations that no longer exist, and experiments without sticky bucketing', () => {
    const store = new MemoryStickyBucketStore();
    store.set('targetingKey', 'user-1', 'sticky', 'removed-variation');
    store.set('targetingKey', 'user-2', 'plain', 'treatment');
    const compiled = compileWith([before, abExperiment('plain')]);
    expect(
      evaluate(compiled, 'flag-sticky', { targetingKey: 'user-1' }, { stickyBucketStore: store }).assignment
        ?.sticky,
    ).toBe(false);
    const plain = evaluate(compiled, 'flag-plain', { targetingKey: 'user-2' }, { stickyBucketStore: store });
    expect(plain.assignment?.sticky).toBe(false);
    // The stale entry is replaced by the unit's real assignment.
    expect(['control', 'treatment']).toContain(store.get('targetingKey', 'user-1')?.sticky);
  });

  it('keeps evaluating when the store throws', () => {
    const broken: StickyBucketStore = {
      get() {
        throw new Error('storage full');
      },
      set() {
        throw new Error('storage full');
      },
    };
    const result = evaluate(
      compileWith([before]),
      'flag-sticky',
      { targetingKey: 'user-1' },
      { stickyBucketStore: broken },
    );
    expect(result).toMatchObject({ reason: 'SPLIT', errorCode: undefined });
  });
});
