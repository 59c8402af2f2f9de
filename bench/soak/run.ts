/**
 * @module `npm run soak`: the load and soak test against the built server (bench/soak/soak.ts).
 * CLEAVE_SOAK_SECONDS sets the duration (default 600), CLEAVE_SOAK_STREAMS the open SDK streams
 * (default 1,000), CLEAVE_SOAK_MAX_RSS_SLOPE the RSS growth allowed over the second half (MB/min,
 * default 2). Prints one JSON sample per line and a summary; exits 1 when the run fails.
 */
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { runSoak } from './soak.js';

const number = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
};

const durationSeconds = number('CLEAVE_SOAK_SECONDS', 600);
const report = await runSoak({
  durationSeconds,
  streams: number('CLEAVE_SOAK_STREAMS', 1_000),
  sampleEverySeconds: durationSeconds >= 300 ? 10 : 5,
  maxRssSlopeMbPerMinute: number('CLEAVE_SOAK_MAX_RSS_SLOPE', 2),
  serverCommand: [fileURLToPath(new URL('../../packages/server/dist/main.js', import.meta.url))],
  log: (line) => console.log(line),
});
const { samples, ...summary } = report;
const mean = (values: number[]) => Math.round(values.reduce((sum, value) => sum + value, 0) / values.length);
console.log(
  JSON.stringify(
    {
      ...summary,
      samples: samples.length,
      meanOfrepPerSecond: mean(samples.map((sample) => sample.ofrepPerSecond)),
      meanEventsPerSecond: mean(samples.map((sample) => sample.eventsPerSecond)),
      worstOfrepP99Ms: Math.max(...samples.map((sample) => sample.ofrepP99Ms)),
      worstEventsP99Ms: Math.max(...samples.map((sample) => sample.eventsP99Ms)),
      worstWritesP99Ms: Math.max(...samples.map((sample) => sample.writesP99Ms)),
      loadAverage: loadavg().map((value) => Math.round(value * 100) / 100),
    },
    null,
    2,
  ),
);
process.exitCode = report.ok ? 0 : 1;
