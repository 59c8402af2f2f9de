import { buildConfigPayload, compileConfig, ExperimentSchema, FlagSchema } from '@cleave/core';
import { describe, expect, it } from 'vitest';
import { DEMO_EXPERIMENTS, DEMO_FLAGS } from './demo-story.js';
import { simulatedHistory } from './simulated-history.js';

const compiled = compileConfig(
  buildConfigPayload({
    environment: 'production',
    version: 1,
    flags: DEMO_FLAGS.map((flag) => FlagSchema.parse(flag)),
    segments: [],
    experiments: DEMO_EXPERIMENTS.map((experiment) => ExperimentSchema.parse(experiment)),
    layers: [],
    holdouts: [],
  }),
);

const history = (end: string, seed = 2) =>
  simulatedHistory({
    projectId: 'project',
    environmentId: 'production',
    compiled,
    flagKeys: ['checkout-flow', 'homepage-hero'],
    behaviourFlag: 'checkout-flow',
    end: new Date(end),
    days: 14,
    visitorsPerDay: 450,
    seed,
  });

/** Each event relative to the end, so two runs ending at different times compare. */
const relative = (events: ReturnType<typeof history>, end: string) =>
  events.map(({ occurredAt, receivedAt: _receivedAt, ...event }) => ({
    ...event,
    beforeEnd: Date.parse(end) - Date.parse(occurredAt),
  }));

describe("the demo's simulated history", () => {
  it('is the same for a seed whenever it is made, only shifted in time', () => {
    const monday = '2026-11-30T09:00:00.000Z';
    const saturday = '2026-12-05T17:30:00.000Z';
    expect(relative(history(saturday), saturday)).toEqual(relative(history(monday), monday));
    expect(history(monday, 3).length).not.toBe(history(monday).length);
  });

  it('ends at the end and starts fourteen days before, with exposures as the config assigns them', () => {
    const end = '2026-11-30T09:00:00.000Z';
    const events = history(end);
    const times = events.map((event) => Date.parse(event.occurredAt));
    expect(Math.max(...times)).toBeLessThan(Date.parse(end));
    expect(Math.min(...times)).toBeGreaterThanOrEqual(Date.parse(end) - 14 * 86_400_000);
    const exposures = events.filter((event) => event.type === 'exposure');
    expect(new Set(exposures.map((event) => event.variant))).toEqual(
      new Set(['control', 'one-page', 'a', 'b']),
    );
    // Every visitor is in both experiments.
    const units = new Set(exposures.map((event) => event.unitId));
    expect(exposures.length).toBe(units.size * 2);
  });

  it('converts the one-page checkout better, as the story says', () => {
    const events = history('2026-11-30T09:00:00.000Z');
    const variantOf = new Map(
      events
        .filter((event) => event.experiment === 'one-page-checkout')
        .map((event) => [event.unitId, event.variant]),
    );
    const buyers = new Set(
      events.filter((event) => event.eventName === 'purchase').map((event) => event.unitId),
    );
    const rate = (variant: string) => {
      const units = [...variantOf].filter(([, served]) => served === variant).map(([unit]) => unit);
      return units.filter((unit) => buyers.has(unit)).length / units.length;
    };
    expect(rate('control')).toBeGreaterThan(0.08);
    expect(rate('control')).toBeLessThan(0.11);
    expect(rate('one-page') / rate('control')).toBeGreaterThan(1.15);
  });
});
