/**
 * @module `npm run bench`: runs every benchmark suite listed below, each printing its own table.
 *
 * Add a suite by writing `bench/<name>/suite.ts` that exports `suite: Suite` (see harness.ts) and
 * listing it here. `npm run bench -- evaluation` runs only the suites whose names are given.
 */
import { type Suite, sinkValue } from './harness.js';

const SUITES: readonly (() => Promise<{ suite: Suite }>)[] = [
  () => import('./evaluation/suite.js'),
  () => import('./sdk-delivery/suite.js'),
  () => import('./sdk-size/suite.js'),
  () => import('./ingestion/suite.js'),
  () => import('./management/suite.js'),
  () => import('./analysis/suite.js'),
  () => import('./web/suite.js'),
];

// Benchmarks measure code as production runs it: GrowthBook, for one, skips its debug logging
// only when NODE_ENV is "production" (bundlers inline that check; plain Node reads process.env).
process.env.NODE_ENV ??= 'production';

const wanted = new Set(process.argv.slice(2));
const started = performance.now();
for (const load of SUITES) {
  const { suite } = await load();
  if (wanted.size > 0 && !wanted.has(suite.name)) continue;
  console.log(`\n== ${suite.name}: ${suite.description}`);
  await suite.run();
}
console.log(`\n(sink ${sinkValue()}; ${((performance.now() - started) / 1000).toFixed(1)} s)`);
