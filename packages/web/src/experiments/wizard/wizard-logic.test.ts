import { describe, expect, it } from 'vitest';
import { emptyDraft, firstStepWithIssue, stepOfPointer, toCreateBody } from './experiment-draft.js';
import { freeRanges, overlaps, widestFreeRange } from './layer-ranges.js';
import { daysNeeded, totalUnitsNeeded } from './power-plan.js';

describe('the experiment draft', () => {
  it('sends only what differs from the defaults, as fractions', () => {
    const draft = {
      ...emptyDraft(),
      name: ' Checkout ',
      variations: [
        { key: 'control', percentage: 33.34 },
        { key: 'a', percentage: 33.33 },
        { key: 'b', percentage: 33.33 },
      ],
      coveragePercent: 25,
      layer: { key: 'checkout', startPercent: 50, endPercent: 75 },
    };
    const result = toCreateBody(draft, 'checkout');
    if (!result.ok) throw new Error(result.message);
    expect(result.body).toMatchObject({
      key: 'checkout',
      name: 'Checkout',
      coverage: 0.25,
      layer: { key: 'checkout', range: { start: 0.5, end: 0.75 } },
      analysis: { method: 'frequentist', alpha: 0.05, cuped: false },
    });
    expect(result.body.variations.reduce((sum, variation) => sum + variation.weight, 0)).toBe(1);
    expect(result.body).not.toHaveProperty('hashAttribute');
    expect(result.body.analysis).not.toHaveProperty('plannedUnits');

    const full = toCreateBody(
      { ...emptyDraft(), coveragePercent: 100, analysis: { ...emptyDraft().analysis, plannedUnits: 30_000 } },
      'x',
    );
    expect(full.ok && full.body).not.toHaveProperty('coverage');
    expect(full.ok && full.body.analysis?.plannedUnits).toBe(30_000);
  });

  it('refuses weights that do not add up to 100 %', () => {
    const result = toCreateBody(
      {
        ...emptyDraft(),
        variations: [
          { key: 'a', percentage: 50 },
          { key: 'b', percentage: 40 },
        ],
      },
      'x',
    );
    expect(result).toEqual({ ok: false, message: 'weights add up to 90 %, not 100 %' });
  });

  it('finds the step holding the field an API error names', () => {
    expect(stepOfPointer('/body/key')).toBe(0);
    expect(stepOfPointer('/body/variations/1/key')).toBe(1);
    expect(stepOfPointer('/body/layer/range/end')).toBe(2);
    expect(stepOfPointer('/body/metrics/primary')).toBe(3);
    expect(stepOfPointer('/body/analysis/alpha')).toBe(4);
    expect(stepOfPointer('/flags[checkout]/rules')).toBeUndefined();
    expect(firstStepWithIssue([{ path: '/body/analysis/alpha' }, { path: '/body/layer' }])).toBe(2);
    expect(firstStepWithIssue([{ path: '/query/x' }])).toBeUndefined();
  });
});

describe('the power plan', () => {
  it('needs n per arm in the smallest variation', () => {
    expect(totalUnitsNeeded(1000, [0.5, 0.5])).toBe(2000);
    expect(totalUnitsNeeded(1000, [0.8, 0.2])).toBe(5000);
    expect(totalUnitsNeeded(1000, [0.34, 0.33, 0.33])).toBe(3031);
    expect(totalUnitsNeeded(1000, [1, 0])).toBeUndefined();
  });

  it('turns units into days at the share of traffic that enters', () => {
    expect(daysNeeded(2000, 1000, 1)).toBe(2);
    expect(daysNeeded(2000, 1000, 0.25)).toBe(8);
    expect(daysNeeded(10, 1000, 1)).toBe(1);
    expect(daysNeeded(2000, 0, 1)).toBeUndefined();
  });
});

describe('layer ranges', () => {
  it('lists the gaps and proposes the widest', () => {
    const taken = [
      { start: 60, end: 100 },
      { start: 0, end: 20 },
    ];
    expect(freeRanges(taken)).toEqual([{ start: 20, end: 60 }]);
    expect(widestFreeRange([])).toEqual({ start: 0, end: 100 });
    expect(widestFreeRange([{ start: 10, end: 30 }])).toEqual({ start: 30, end: 100 });
    expect(widestFreeRange([{ start: 0, end: 100 }])).toBeUndefined();
    expect(overlaps({ start: 0, end: 50 }, { start: 40, end: 90 })).toBe(true);
    expect(overlaps({ start: 0, end: 50 }, { start: 50, end: 90 })).toBe(false);
  });
});
