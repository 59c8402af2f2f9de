/**
 * @module Every tool's harness for the evaluation workloads, Cleave first.
 */
import { createCleaveHarness } from './tools/cleave.js';
import { createFlagdHarness } from './tools/flagd.js';
import { createGrowthBookHarness } from './tools/growthbook.js';
import { createUnleashHarness } from './tools/unleash.js';
import type { EvaluationHarness } from './workloads.js';

export async function createHarnesses(): Promise<EvaluationHarness[]> {
  return [
    createCleaveHarness(),
    createGrowthBookHarness(),
    await createUnleashHarness(),
    createFlagdHarness(),
  ];
}
