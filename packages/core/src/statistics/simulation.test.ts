/**
 * Operating characteristics of the engine on simulated experiments: per-unit data from a seeded
 * generator, reduced to sufficient statistics, analysed. A/A experiments must reject at the
 * nominal rate (frequentist) or below it at every look (sequential); a real effect must be found.
 * With 2,000 experiments the false-positive rate's standard error is 0.0049, so [0.035, 0.065]
 * is a ±3σ band around 0.05.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from './analyze.js';
import { AnalyzeRequestSchema, type Method, type MetricKind, type VariantStatistics } from './schemas.js';

/** Mulberry32: a small, fast, seedable 32-bit generator (plenty for simulation, not for crypto). */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal draws by Box–Muller. */
function normalGenerator(uniform: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

interface Accumulator {
  n: number;
  sum: number;
  sumSquares: number;
}

const empty = (): Accumulator => ({ n: 0, sum: 0, sumSquares: 0 });

function add(arm: Accumulator, value: number): void {
  arm.n += 1;
  arm.sum += value;
  arm.sumSquares += value * value;
}

const snapshot = (arm: Accumulator): VariantStatistics => ({ ...arm });

function pValueOf(metric: MetricKind, method: Method, arms: readonly Accumulator[], tuning?: number): number {
  const request = AnalyzeRequestSchema.parse({
    metric,
    method,
    effect: 'absolute',
    variants: arms.map(snapshot),
    ...(tuning === undefined ? {} : { sequentialTuning: tuning }),
  });
  return analyze(request).comparisons[0]?.pValue ?? 1;
}

const EXPERIMENTS = 2000;
const ALPHA = 0.05;

describe('simulated experiments', () => {
  it('A/A, mean metric, frequentist: the false-positive rate is about alpha', () => {
    const uniform = mulberry32(1);
    const normal = normalGenerator(uniform);
    let rejections = 0;
    for (let experiment = 0; experiment < EXPERIMENTS; experiment++) {
      const arms = [empty(), empty()];
      // Skewed per-unit values (exponential of a normal) stress the t approximation a little.
      for (const arm of arms) for (let unit = 0; unit < 200; unit++) add(arm, Math.exp(0.5 * normal()));
      if (pValueOf('mean', 'frequentist', arms) < ALPHA) rejections++;
    }
    const rate = rejections / EXPERIMENTS;
    expect(rate).toBeGreaterThanOrEqual(0.035);
    expect(rate).toBeLessThanOrEqual(0.065);
  });

  it('A/A, proportion metric, frequentist: the false-positive rate is about alpha', () => {
    const uniform = mulberry32(2);
    let rejections = 0;
    for (let experiment = 0; experiment < EXPERIMENTS; experiment++) {
      const arms = [empty(), empty()];
      for (const arm of arms) for (let unit = 0; unit < 500; unit++) add(arm, uniform() < 0.1 ? 1 : 0);
      if (pValueOf('proportion', 'frequentist', arms) < ALPHA) rejections++;
    }
    const rate = rejections / EXPERIMENTS;
    expect(rate).toBeGreaterThanOrEqual(0.035);
    expect(rate).toBeLessThanOrEqual(0.065);
  });

  it('A/A, sequential with 10 looks: stopping at the first p < alpha keeps the error rate at most alpha', () => {
    const uniform = mulberry32(3);
    const normal = normalGenerator(uniform);
    const unitsPerLook = 100;
    let rejections = 0;
    let naiveRejections = 0;
    for (let experiment = 0; experiment < EXPERIMENTS; experiment++) {
      const arms = [empty(), empty()];
      let rejected = false;
      let naivelyRejected = false;
      for (let look = 0; look < 10; look++) {
        for (const arm of arms) for (let unit = 0; unit < unitsPerLook; unit++) add(arm, normal());
        rejected ||= pValueOf('mean', 'sequential', arms, 2000) < ALPHA;
        naivelyRejected ||= pValueOf('mean', 'frequentist', arms) < ALPHA;
      }
      if (rejected) rejections++;
      if (naivelyRejected) naiveRejections++;
    }
    expect(rejections / EXPERIMENTS).toBeLessThanOrEqual(ALPHA);
    // The same peeking with a fixed-horizon test inflates the error well past alpha: what the
    // sequential method exists to prevent (and proof that this simulation can detect it).
    expect(naiveRejections / EXPERIMENTS).toBeGreaterThan(0.12);
  });

  it('finds a real effect most of the time (power), with every method', () => {
    const uniform = mulberry32(4);
    const normal = normalGenerator(uniform);
    const experiments = 300;
    const detections = { frequentist: 0, sequential: 0, bayesian: 0 };
    for (let experiment = 0; experiment < experiments; experiment++) {
      const arms = [empty(), empty()];
      // Effect of 0.25 standard deviations with 500 units per arm: a t-test has power ≈ 0.94.
      for (let unit = 0; unit < 500; unit++) {
        add(arms[0] as Accumulator, normal());
        add(arms[1] as Accumulator, 0.25 + normal());
      }
      if (pValueOf('mean', 'frequentist', arms) < ALPHA) detections.frequentist++;
      if (pValueOf('mean', 'sequential', arms, 1000) < ALPHA) detections.sequential++;
      const request = AnalyzeRequestSchema.parse({
        metric: 'mean',
        method: 'bayesian',
        effect: 'absolute',
        variants: arms.map(snapshot),
      });
      if ((analyze(request).comparisons[0]?.chanceToWin ?? 0) > 1 - ALPHA / 2) detections.bayesian++;
    }
    expect(detections.frequentist / experiments).toBeGreaterThan(0.88);
    expect(detections.bayesian / experiments).toBeGreaterThan(0.88);
    // Always-valid intervals pay for peeking with some power at a single look.
    expect(detections.sequential / experiments).toBeGreaterThan(0.6);
  });
});
