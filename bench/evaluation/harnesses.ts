/**
 * @module Every tool's harness for the evaluation workloads: Cleave first (core, then the browser
 * build of the SDK), then the others.
 */
import { createCleaveHarness } from './tools/cleave.js';
import { createCleaveBrowserHarness } from './tools/cleave-browser.js';
import { createFlagdHarness } from './tools/flagd.js';
import { createGrowthBookHarness } from './tools/growthbook.js';
import { createUnleashHarness } from './tools/unleash.js';
import type { EvaluationHarness } from './workloads.js';

/** The harnesses that measure Cleave; every other one is a peer they are compared with. */
export const CLEAVE_BUILDS = ['cleave', 'cleave-browser'] as const;

export async function createHarnesses(): Promise<EvaluationHarness[]> {
  return [
    createCleaveHarness(),
    await createCleaveBrowserHarness(),
    createGrowthBookHarness(),
    await createUnleashHarness(),
    createFlagdHarness(),
  ];
}
