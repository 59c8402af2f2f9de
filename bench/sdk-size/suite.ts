/**
 * @module The SDK size suite: each browser entry point bundled as users get it (sizes.ts), beside
 * GrowthBook's browser SDK built the same way in the same run, checked against budget.json, with
 * where the SDK's bytes go. Results go to bench/results/sdk-size.json.
 */
import { fileURLToPath } from 'node:url';
import { describeEnvironment, printTable, type Suite, writeResults } from '../harness.js';
import { checkLimits, readBudgetFile } from './budget.js';
import { bytesByModule, type EntrySize, measureAll } from './sizes.js';

const RESULTS_PATH = fileURLToPath(new URL('../results/sdk-size.json', import.meta.url));

const kb = (bytes: number | undefined) => (bytes === undefined ? '' : `${(bytes / 1024).toFixed(1)} KB`);

/** Groups a module path: zod, core's model, core's evaluation, core's hashing, the SDK. */
function areaOf(module: string): string {
  if (module.includes('node_modules/zod/')) return 'zod';
  const match = /packages\/(core|sdk)\/src\/([^/]+)/.exec(module);
  if (match === null) return module;
  return match[1] === 'sdk' ? 'sdk' : `core/${match[2]?.replace(/\.ts$/, '')}`;
}

function whereTheBytesGo(sdk: EntrySize): [string, number][] {
  const areas = new Map<string, number>();
  for (const { module, bytes } of bytesByModule(sdk.metafile)) {
    areas.set(areaOf(module), (areas.get(areaOf(module)) ?? 0) + bytes);
  }
  return [...areas].filter(([, bytes]) => bytes > 0).sort((a, b) => b[1] - a[1]);
}

export const suite: Suite = {
  name: 'sdk-size',
  description:
    'browser bundle sizes of the SDK entry points (esbuild, minified ESM) beside GrowthBook and core’s engine alone',
  async run() {
    const sizes = await measureAll();
    const { goals, budgets } = readBudgetFile();
    printTable(
      'bytes a page loads at start (esbuild --bundle --minify --splitting --format=esm --platform=browser; gzip -9); on demand: the regex engine, loaded only for `matches` conditions',
      ['entry', 'minified', 'gzip', 'adds (min)', 'adds (gzip)', 'on demand (gzip)'],
      sizes.map((size) => [
        size.name,
        kb(size.minifiedBytes),
        kb(size.gzipBytes),
        kb(size.addedMinifiedBytes),
        kb(size.addedGzipBytes),
        size.onDemandGzipBytes === 0 ? '' : kb(size.onDemandGzipBytes),
      ]),
    );
    const budgetChecks = checkLimits(sizes, budgets);
    const goalChecks = checkLimits(sizes, goals);
    printTable(
      'limits (budget.json: budgets are enforced by the tests, goals are issue #14)',
      ['entry', 'measure', 'actual', 'budget', 'goal'],
      budgetChecks.map((check) => {
        const goal = goalChecks.find(
          (candidate) => candidate.entry === check.entry && candidate.measure === check.measure,
        );
        return [
          check.entry,
          check.measure,
          kb(check.actual),
          `${kb(check.limit)} ${check.within ? 'ok' : 'OVER'}`,
          goal === undefined ? '' : `${kb(goal.limit)} ${goal.within ? 'met' : 'not met'}`,
        ];
      }),
    );
    const sdk = sizes.find((size) => size.name === 'sdk');
    const areas = sdk === undefined ? [] : whereTheBytesGo(sdk);
    printTable(
      'where the sdk entry’s minified bytes go',
      ['area', 'minified'],
      areas.map(([area, bytes]) => [area, kb(bytes)]),
    );
    writeResults(RESULTS_PATH, {
      suite: 'sdk-size',
      environment: describeEnvironment(),
      sizes: sizes.map(({ metafile: _metafile, ...size }) => size),
      budgets: budgetChecks,
      goals: goalChecks,
      sdkBytesByArea: Object.fromEntries(areas),
    });
  },
};
