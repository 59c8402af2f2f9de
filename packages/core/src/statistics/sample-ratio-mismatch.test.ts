import { describe, expect, it } from 'vitest';
import {
  isSampleRatioMismatch,
  SRM_P_VALUE_THRESHOLD,
  sampleRatioMismatch,
} from './sample-ratio-mismatch.js';
import { SrmRequestSchema } from './schemas.js';
import { StatisticsInputError } from './statistics-input-error.js';

describe('sampleRatioMismatch', () => {
  it('is 0 with p = 1 when counts match the weights exactly', () => {
    expect(sampleRatioMismatch({ counts: [300, 700], weights: [0.3, 0.7] })).toEqual({
      chiSquare: 0,
      pValue: 1,
    });
  });

  it('flags a 50/50 experiment that is 49/51 over 100,000 units', () => {
    const { chiSquare, pValue } = sampleRatioMismatch({ counts: [49_000, 51_000], weights: [0.5, 0.5] });
    expect(chiSquare).toBeCloseTo(40, 10);
    expect(isSampleRatioMismatch(pValue)).toBe(true);
  });

  it('flags below the documented threshold of 0.001 only', () => {
    expect(SRM_P_VALUE_THRESHOLD).toBe(0.001);
    expect(isSampleRatioMismatch(0.0009)).toBe(true);
    expect(isSampleRatioMismatch(0.001)).toBe(false);
  });

  it.each([
    ['weights not summing to 1', { counts: [10, 10], weights: [0.5, 0.4] }, '/weights'],
    ['one weight per count', { counts: [10, 10, 10], weights: [0.5, 0.5] }, '/weights'],
    ['no units at all', { counts: [0, 0], weights: [0.5, 0.5] }, '/counts'],
  ])('rejects %s', (_name, request, path) => {
    expect(() => sampleRatioMismatch(request)).toThrow(StatisticsInputError);
    try {
      sampleRatioMismatch(request);
    } catch (error) {
      expect((error as StatisticsInputError).issues.map((issue) => issue.path)).toContain(path);
    }
  });

  it.each([
    ['negative counts', { counts: [-1, 10], weights: [0.5, 0.5] }],
    ['fractional counts', { counts: [1.5, 10], weights: [0.5, 0.5] }],
    ['zero weights', { counts: [1, 10], weights: [0, 1] }],
    ['one arm', { counts: [10], weights: [1] }],
    ['unknown fields', { counts: [1, 10], weights: [0.5, 0.5], alpha: 0.01 }],
  ])('has a schema that rejects %s', (_name, request) => {
    expect(SrmRequestSchema.safeParse(request).success).toBe(false);
  });
});
