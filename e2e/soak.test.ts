/**
 * The short soak in `npm test` (CLEAVE_SOAK_TEST_SECONDS, default 60): the same load as
 * `npm run soak` (bench/soak/soak.ts) against the server run from its sources, with 1,000 open
 * SDK streams: no error, every stream open throughout, RSS under a ceiling. A minute is still the
 * heap's warm-up (RSS climbs for the first minutes under load before it levels), so the growth
 * trend is judged by the 10-minute `npm run soak` only (docs/reliability.md).
 */

import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { expect, it } from 'vitest';
import { runSoak } from '../bench/soak/soak.js';

const seconds = Number(process.env.CLEAVE_SOAK_TEST_SECONDS ?? 60);
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

it(
  `serves a mixed load with 1,000 open streams for ${seconds} s without an error, RSS under 1 GiB`,
  async () => {
    const report = await runSoak({
      durationSeconds: seconds,
      streams: 1_000,
      sampleEverySeconds: 5,
      maxRssSlopeMbPerMinute: Number.POSITIVE_INFINITY,
      serverCommand: [
        '--import',
        TSX_LOADER,
        fileURLToPath(new URL('../packages/server/src/main.ts', import.meta.url)),
      ],
      serverEnv: { TSX_TSCONFIG_PATH: fileURLToPath(new URL('../tsconfig.tests.json', import.meta.url)) },
    });
    const { samples, ...summary } = report;
    console.info(`soak ${seconds} s: ${JSON.stringify({ ...summary, last: samples.at(-1) })}`);
    expect(report.errors).toEqual([]);
    expect(samples.length).toBeGreaterThanOrEqual(Math.floor(seconds / 5) - 1);
    expect(samples.every((sample) => sample.openStreams === 1_000)).toBe(true);
    expect(report.requests.ofrep).toBeGreaterThan(0);
    expect(report.requests.eventBatches).toBeGreaterThan(0);
    expect(report.requests.writes).toBeGreaterThan(seconds);
    expect(report.rssMaxMb).toBeLessThan(1_024);
    expect(report.ok).toBe(true);
  },
  (seconds + 120) * 1000,
);
