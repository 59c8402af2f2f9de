/**
 * @module The benchmark harness: timing, statistics, tables and result files shared by suites.
 *
 * Timing model: a benchmark body runs `iterations` operations in its own loop and returns a
 * checksum. Each suite writes that loop out once per competitor, so every loop has its own call
 * site and stays monomorphic: a shared `for (…) fn()` loop would go megamorphic across suites
 * and add the same indirect-call cost to everyone, shrinking the ratios between fast tools.
 * Checksums are folded into a sink that is printed, so no result can be dead-code eliminated.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname } from 'node:path';

/** Runs `iterations` operations and returns a checksum of their results. */
export type BenchmarkBody = (iterations: number) => number;

export interface Benchmark {
  readonly name: string;
  readonly body: BenchmarkBody;
}

export interface MeasureOptions {
  /** Operations per sample; default: calibrated from the warm-up so a sample lasts `sampleMs`. */
  readonly iterations?: number;
  /** How long to run the body before timing it (JIT tiers, inline caches), in ms. Default 300. */
  readonly warmupMs?: number;
  /** Target duration of one sample when `iterations` is not given, in ms. Default 25. */
  readonly sampleMs?: number;
  /** Timed samples per benchmark; the reported figure is their median. Default 15. */
  readonly samples?: number;
}

export interface Measurement {
  readonly name: string;
  /** Median nanoseconds per operation over the samples. */
  readonly nsPerOp: number;
  readonly minNsPerOp: number;
  readonly maxNsPerOp: number;
  readonly samples: number;
  readonly iterationsPerSample: number;
}

/** A suite: a named group of benchmarks that prints its own table. */
export interface Suite {
  readonly name: string;
  readonly description: string;
  run(): Promise<void>;
}

let sink = 0;

/** Folds a checksum into the process-wide sink that `sinkValue` exposes. */
export function consume(value: number): void {
  sink = (sink + (Number.isFinite(value) ? value : 0)) % 1_000_000_007;
}

/** The accumulated checksum; print it so the work that produced it cannot be skipped. */
export function sinkValue(): number {
  return sink;
}

function timeSample(body: BenchmarkBody, iterations: number): number {
  const start = process.hrtime.bigint();
  const checksum = body(iterations);
  const elapsed = process.hrtime.bigint() - start;
  consume(checksum);
  return Number(elapsed) / iterations;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  if (sorted.length % 2 === 1) return sorted[middle] ?? Number.NaN;
  return ((sorted[middle - 1] ?? Number.NaN) + (sorted[middle] ?? Number.NaN)) / 2;
}

interface Prepared {
  readonly benchmark: Benchmark;
  readonly iterations: number;
  readonly perOp: number[];
}

/** Warms a body up for `warmupMs` and returns the iterations that make a sample last `sampleMs`. */
function warmUp(body: BenchmarkBody, options: MeasureOptions): number {
  const warmupNs = (options.warmupMs ?? 300) * 1e6;
  const sampleNs = (options.sampleMs ?? 25) * 1e6;
  let iterations = 64;
  let spent = 0;
  let nsPerOp = Number.POSITIVE_INFINITY;
  while (spent < warmupNs) {
    nsPerOp = timeSample(body, iterations);
    spent += nsPerOp * iterations;
    // Grow batches until one takes ~10 ms, so the estimate is not dominated by timer overhead.
    if (nsPerOp * iterations < 10e6) iterations *= 2;
  }
  if (options.iterations !== undefined) return options.iterations;
  return Math.max(1, Math.round(sampleNs / Math.max(nsPerOp, 0.1)));
}

function summarize(prepared: Prepared): Measurement {
  return {
    name: prepared.benchmark.name,
    nsPerOp: median(prepared.perOp),
    minNsPerOp: Math.min(...prepared.perOp),
    maxNsPerOp: Math.max(...prepared.perOp),
    samples: prepared.perOp.length,
    iterationsPerSample: prepared.iterations,
  };
}

/**
 * Measures several benchmarks fairly in one process: each is warmed up, then the timed samples
 * alternate between them round by round (starting with a different one each round), so drift in
 * CPU frequency, GC pressure or neighbours affects every competitor alike.
 *
 * @example
 * const [cleave, other] = compare([{ name: 'cleave', body: cleaveLoop }, { name: 'other', body: otherLoop }]);
 */
export function compare(benchmarks: readonly Benchmark[], options: MeasureOptions = {}): Measurement[] {
  const prepared: Prepared[] = benchmarks.map((benchmark) => ({
    benchmark,
    iterations: warmUp(benchmark.body, options),
    perOp: [],
  }));
  const samples = options.samples ?? 15;
  for (let round = 0; round < samples; round++) {
    for (let offset = 0; offset < prepared.length; offset++) {
      const entry = prepared[(round + offset) % prepared.length];
      if (entry !== undefined) entry.perOp.push(timeSample(entry.benchmark.body, entry.iterations));
    }
  }
  return prepared.map(summarize);
}

/**
 * Measures one benchmark: warm-up, then the median ns/op of several samples.
 *
 * @example
 * measure('evaluate', (n) => { let s = 0; for (let i = 0; i < n; i++) s += work(i); return s; });
 */
export function measure(name: string, body: BenchmarkBody, options: MeasureOptions = {}): Measurement {
  const [measurement] = compare([{ name, body }], options);
  if (measurement === undefined) throw new Error('unreachable: one benchmark gives one measurement');
  return measurement;
}

/** Formats nanoseconds per operation with three significant digits. */
export function formatNs(ns: number): string {
  if (!Number.isFinite(ns)) return '—';
  if (ns >= 100) return ns.toFixed(0);
  if (ns >= 10) return ns.toFixed(1);
  return ns.toFixed(2);
}

/** Prints rows as an aligned text table; the first column is left-aligned, the rest right-aligned. */
export function printTable(
  title: string,
  header: readonly string[],
  rows: readonly (readonly string[])[],
): void {
  const widths = header.map((cell, column) =>
    Math.max(cell.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) =>
        column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0),
      )
      .join('  ');
  console.log(`\n${title}`);
  console.log(line(header));
  console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const row of rows) console.log(line(row));
}

/** Where and on what the figures were taken; results files carry it. */
export interface Environment {
  readonly date: string;
  readonly node: string;
  readonly v8: string;
  readonly platform: string;
  readonly cpu: string;
  readonly cores: number;
}

export function describeEnvironment(): Environment {
  const cores = cpus();
  return {
    date: new Date().toISOString(),
    node: process.version,
    v8: process.versions.v8,
    platform: `${process.platform}-${process.arch}`,
    cpu: cores[0]?.model.trim() ?? 'unknown',
    cores: cores.length,
  };
}

/** Writes a results file (pretty JSON, trailing newline), creating its folder. */
export function writeResults(path: string, results: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(results, null, 2)}\n`);
}
