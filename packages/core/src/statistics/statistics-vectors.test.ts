/**
 * Replays vectors/statistics.json: reference values computed by vectors/statistics.py with
 * SciPy (and mpmath), never with this code. Numeric functions must agree to the tolerance each
 * vector names; engine results to 1e-6 relative (1e-12 absolute for values that small).
 */
import { describe, expect, it } from 'vitest';
import vectors from '../../vectors/statistics.json' with { type: 'json' };
import { adjustPValues, type PValueAdjustment } from './adjust-p-values.js';
import { analyze } from './analyze.js';
import { normalLinearLoss } from './bayesian.js';
import {
  chiSquareSurvival,
  normalCdf,
  normalPdf,
  normalQuantile,
  normalSurvival,
  studentTCdf,
  studentTPdf,
  studentTSurvival,
  studentTUpperQuantile,
} from './distributions.js';
import { sampleRatioMismatch } from './sample-ratio-mismatch.js';
import { sampleSize } from './sample-size.js';
import { AnalyzeRequestSchema, SampleSizeRequestSchema, SrmRequestSchema } from './schemas.js';
import { logGamma, regularizedBeta, regularizedGammaP, regularizedGammaQ } from './special-functions.js';

const FUNCTIONS: Record<string, (...args: number[]) => number> = {
  normalCdf,
  normalSurvival,
  normalPdf,
  normalQuantile,
  studentTSurvival,
  studentTCdf,
  studentTPdf,
  studentTUpperQuantile,
  chiSquareSurvival,
  logGamma,
  regularizedBeta: (x, a, b) => regularizedBeta(x as number, a as number, b as number),
  regularizedGammaP,
  regularizedGammaQ,
  normalLinearLoss,
};

const { relative, absolute } = vectors.tolerance;

/** Agreement to `relative`, or to `absolute` where the expected value is that close to zero. */
function expectClose(actual: unknown, expected: unknown, label: string): void {
  if (expected === null) {
    expect(actual, label).toBeNull();
    return;
  }
  expect(typeof actual, label).toBe('number');
  const value = actual as number;
  const target = expected as number;
  const allowed = Math.max(relative * Math.abs(target), absolute);
  expect(Math.abs(value - target), `${label}: ${value} vs ${target}`).toBeLessThanOrEqual(allowed);
}

function expectAllClose(
  actual: Record<string, unknown>,
  expected: Record<string, unknown>,
  label: string,
): void {
  expect(Object.keys(actual).sort(), label).toEqual(Object.keys(expected).sort());
  for (const [key, value] of Object.entries(expected)) expectClose(actual[key], value, `${label}.${key}`);
}

describe('statistics vectors', () => {
  it('are spec version 1, generated with SciPy', () => {
    expect(vectors.specVersion).toBe(1);
    expect(vectors.generator.scipy).toMatch(/^\d+\.\d+/);
  });

  it.each(vectors.functions.map((entry) => [`${entry.name}(${entry.args.join(', ')})`, entry] as const))(
    '%s',
    (_label, entry) => {
      const fn = FUNCTIONS[entry.name];
      if (fn === undefined) throw new Error(`no function ${entry.name}`);
      const actual = fn(...entry.args);
      // Exact zeros (ln Γ(1), the median, tails below the double range) compare absolutely.
      const error =
        entry.expected === 0
          ? Math.abs(actual)
          : Math.abs(actual - entry.expected) / Math.abs(entry.expected);
      expect(error, `${actual} vs ${entry.expected}`).toBeLessThanOrEqual(entry.relativeTolerance);
    },
  );

  it.each(vectors.analyze.map((entry) => [entry.name, entry] as const))('analyze: %s', (_name, entry) => {
    const result = analyze(AnalyzeRequestSchema.parse(entry.request));
    expect(result.variants).toHaveLength(entry.expected.variants.length);
    result.variants.forEach((variant, index) => {
      expectAllClose({ ...variant }, entry.expected.variants[index] ?? {}, `variants[${index}]`);
    });
    expect(result.comparisons).toHaveLength(entry.expected.comparisons.length);
    result.comparisons.forEach((comparison, index) => {
      expectAllClose({ ...comparison }, entry.expected.comparisons[index] ?? {}, `comparisons[${index}]`);
    });
  });

  it.each(vectors.srm.map((entry) => [entry.name, entry] as const))('srm: %s', (_name, entry) => {
    const result = sampleRatioMismatch(SrmRequestSchema.parse(entry.request));
    expectAllClose({ ...result }, entry.expected, 'srm');
  });

  it.each(vectors.adjust.map((entry) => [entry.name, entry] as const))('adjust: %s', (_name, entry) => {
    const adjusted = adjustPValues(entry.request.pValues, entry.request.method as PValueAdjustment);
    expect(adjusted).toHaveLength(entry.expected.adjusted.length);
    adjusted.forEach((value, index) => {
      expectClose(value, entry.expected.adjusted[index], `adjusted[${index}]`);
    });
  });

  it.each(vectors.sampleSize.map((entry) => [entry.name, entry] as const))(
    'sample size: %s',
    (_name, entry) => {
      expect(sampleSize(SampleSizeRequestSchema.parse(entry.request))).toEqual(entry.expected);
    },
  );
});
