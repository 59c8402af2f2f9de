import { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createHarnesses } from './harnesses.js';
import {
  type EvaluationHarness,
  EXPERIMENT_FLAG,
  EXPERIMENT_UNITS,
  INPUT_COUNT,
  MANY_DRAWS,
  MANY_FLAG_KEYS,
  MATCHING_UNIT,
  manyFlagMatches,
  RULE_FLAG,
  STATIC_FLAG,
} from './workloads.js';

// The benchmark compares equal work only if every tool gives the same answers to the same
// questions; these tests pin that for each workload, and check the timed loops compute it.
let harnesses: EvaluationHarness[] = [];
// Every tool must evaluate locally: no socket may be opened, no fetch made.
const connect = vi.spyOn(Socket.prototype, 'connect');
const fetch = vi.spyOn(globalThis, 'fetch');

beforeAll(async () => {
  harnesses = await createHarnesses();
});

afterAll(() => {
  for (const harness of harnesses) harness.close();
});

const TOOLS = ['cleave', 'cleave-browser', 'growthbook', 'unleash', 'flagd'];

function harness(name: string): EvaluationHarness {
  const found = harnesses.find((candidate) => candidate.name === name);
  if (found === undefined) throw new Error(`no harness named ${name}`);
  return found;
}

describe.each(TOOLS)('%s', (name) => {
  it('serves true for the flag with no rules', () => {
    expect(harness(name).answer(STATIC_FLAG, MATCHING_UNIT)).toBe(true);
    expect(harness(name).loops.static(100)).toBe(100);
  });

  it('serves true only when country is NL and plan is pro or team', () => {
    const { answer, loops } = harness(name);
    expect(answer(RULE_FLAG, MATCHING_UNIT)).toBe(true);
    expect(answer(RULE_FLAG, { ...MATCHING_UNIT, plan: 'team' })).toBe(true);
    expect(answer(RULE_FLAG, { ...MATCHING_UNIT, country: 'DE' })).toBe(false);
    expect(answer(RULE_FLAG, { ...MATCHING_UNIT, plan: 'free' })).toBe(false);
    expect(loops.rule(100)).toBe(100);
  });

  it('splits units 50/50, stably', () => {
    const { answer, loops } = harness(name);
    const units = EXPERIMENT_UNITS.slice(0, 20_000);
    const treated = units.filter((unit) => answer(EXPERIMENT_FLAG, unit)).length;
    // 20,000 units: the standard deviation of the share is 0.35 %; ±2 % is about 6 of them.
    expect(treated / units.length).toBeGreaterThan(0.48);
    expect(treated / units.length).toBeLessThan(0.52);
    const first = units.slice(0, 200).map((unit) => answer(EXPERIMENT_FLAG, unit));
    expect(units.slice(0, 200).map((unit) => answer(EXPERIMENT_FLAG, unit))).toEqual(first);
    // The timed loop evaluates the same units in order.
    const expected = EXPERIMENT_UNITS.slice(0, 1000).filter((unit) => answer(EXPERIMENT_FLAG, unit)).length;
    expect(loops.experiment(1000)).toBe(expected);
  });

  it('serves every one of the 1,000 flags as the reference says', () => {
    const { answer, loops } = harness(name);
    const answers = MANY_FLAG_KEYS.map((key) => answer(key, MATCHING_UNIT));
    expect(answers).toEqual(MANY_FLAG_KEYS.map((_, index) => manyFlagMatches(index, MATCHING_UNIT)));
    expect(answers.filter(Boolean)).toHaveLength(200);
    const expected = Array.from(MANY_DRAWS).filter((index) => manyFlagMatches(index, MATCHING_UNIT)).length;
    expect(loops.many(INPUT_COUNT)).toBe(expected);
  });
});

it('harnesses cover exactly the four tools (Cleave in two builds), Cleave first', () => {
  expect(harnesses.map((candidate) => candidate.name)).toEqual(TOOLS);
});

it('no tool touched the network', async () => {
  // Give anything scheduled at start-up (Unleash's fetcher and metrics start on nextTick) a turn.
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(connect).not.toHaveBeenCalled();
  expect(fetch).not.toHaveBeenCalled();
});
