/**
 * @module The evaluation suite: ns per evaluation of Cleave (core's `evaluate`, and the SDK's
 * browser build through its client) and the published JavaScript SDKs of GrowthBook, Unleash and
 * flagd on the same workloads (workloads.ts), in the same process.
 * Goal: each Cleave build at least 3× faster than the fastest of the others on every workload.
 * Results go to bench/results/evaluation.json, which the README's Benchmarks section cites.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  compare,
  describeEnvironment,
  formatNs,
  type Measurement,
  printTable,
  type Suite,
  writeResults,
} from '../harness.js';
import { CLEAVE_BUILDS, createHarnesses } from './harnesses.js';
import { WORKLOAD_DESCRIPTIONS, WORKLOADS, type Workload } from './workloads.js';

/** Each Cleave build must be at least this many times faster than the fastest other tool. */
export const GOAL_RATIO = 3;

/** About 25 s of timing on 2 cores: 16 warm-ups of 0.4 s, then 31 rounds of 16 samples of 30 ms. */
const OPTIONS = { warmupMs: 400, sampleMs: 30, samples: 31 } as const;

const REPO_ROOT = new URL('../../', import.meta.url);
const RESULTS_PATH = fileURLToPath(new URL('bench/results/evaluation.json', REPO_ROOT));

const PACKAGES: Readonly<Record<string, string>> = {
  cleave: '@cleave/core',
  'cleave-browser': '@cleave/sdk',
  growthbook: '@growthbook/growthbook',
  unleash: 'unleash-client',
  flagd: '@openfeature/flagd-core',
};

function packageVersion(name: string): string {
  const manifest = JSON.parse(readFileSync(new URL(`node_modules/${name}/package.json`, REPO_ROOT), 'utf8'));
  return `${name}@${String(manifest.version)}`;
}

interface WorkloadResult {
  readonly workload: Workload;
  readonly description: string;
  /** Median ns per evaluation, by tool. */
  readonly nsPerOp: Readonly<Record<string, number>>;
  readonly fastestOther: string;
  /** Fastest other tool's ns/op divided by Cleave's (core). */
  readonly ratio: number;
  /** The same for the SDK's browser build. */
  readonly browserRatio: number;
  readonly pass: boolean;
  readonly measurements: readonly Measurement[];
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

async function run(): Promise<void> {
  const harnesses = await createHarnesses();
  const names = harnesses.map((harness) => harness.name);
  const results: WorkloadResult[] = [];
  try {
    for (const workload of WORKLOADS) {
      const measurements = compare(
        harnesses.map((harness) => ({ name: harness.name, body: harness.loops[workload] })),
        OPTIONS,
      );
      const nsPerOp = Object.fromEntries(measurements.map((m) => [m.name, m.nsPerOp]));
      const others = measurements.filter((m) => !(CLEAVE_BUILDS as readonly string[]).includes(m.name));
      const fastest = others.reduce((best, m) => (m.nsPerOp < best.nsPerOp ? m : best));
      const ratio = fastest.nsPerOp / (nsPerOp.cleave ?? Number.NaN);
      const browserRatio = fastest.nsPerOp / (nsPerOp['cleave-browser'] ?? Number.NaN);
      results.push({
        workload,
        description: WORKLOAD_DESCRIPTIONS[workload],
        nsPerOp,
        fastestOther: fastest.name,
        ratio,
        browserRatio,
        pass: ratio >= GOAL_RATIO && browserRatio >= GOAL_RATIO,
        measurements,
      });
    }
  } finally {
    for (const harness of harnesses) harness.close();
  }

  printTable(
    `ns per evaluation (median of ${OPTIONS.samples} samples; × = that tool's time / Cleave's)`,
    ['workload', ...names, 'fastest other / cleave', '/ cleave-browser', `goal ≥ ${GOAL_RATIO}×`],
    results.map((result) => {
      const cleave = result.nsPerOp.cleave ?? Number.NaN;
      return [
        `${result.workload} (${result.description})`,
        ...names.map((name) => {
          const ns = result.nsPerOp[name] ?? Number.NaN;
          return name === 'cleave' ? formatNs(ns) : `${formatNs(ns)} (${(ns / cleave).toFixed(1)}×)`;
        }),
        `${result.ratio.toFixed(1)}× (${result.fastestOther})`,
        `${result.browserRatio.toFixed(1)}×`,
        result.pass ? 'PASS' : 'FAIL',
      ];
    }),
  );

  writeResults(RESULTS_PATH, {
    suite: 'evaluation',
    goal: `cleave (core and the SDK's browser build) at least ${GOAL_RATIO}x faster than the fastest other tool on every workload`,
    environment: describeEnvironment(),
    options: OPTIONS,
    packages: Object.fromEntries(
      Object.entries(PACKAGES).map(([tool, name]) => [tool, packageVersion(name)]),
    ),
    workloads: results.map((result) => ({
      workload: result.workload,
      description: result.description,
      nsPerOp: Object.fromEntries(Object.entries(result.nsPerOp).map(([tool, ns]) => [tool, round(ns, 1)])),
      fastestOther: result.fastestOther,
      ratio: round(result.ratio, 2),
      browserRatio: round(result.browserRatio, 2),
      pass: result.pass,
      samples: Object.fromEntries(
        result.measurements.map((m) => [
          m.name,
          {
            samples: m.samples,
            iterationsPerSample: m.iterationsPerSample,
            minNsPerOp: round(m.minNsPerOp, 1),
            maxNsPerOp: round(m.maxNsPerOp, 1),
          },
        ]),
      ),
    })),
  });
  const failed = results.filter((result) => !result.pass).map((result) => result.workload);
  console.log(
    failed.length === 0
      ? `\nAll workloads meet the ${GOAL_RATIO}× goal. Results: bench/results/evaluation.json`
      : `\nBelow the ${GOAL_RATIO}× goal: ${failed.join(', ')}. Results: bench/results/evaluation.json`,
  );
}

export const suite: Suite = {
  name: 'evaluation',
  description: 'Cleave vs GrowthBook, Unleash and flagd, local flag evaluation',
  run,
};
