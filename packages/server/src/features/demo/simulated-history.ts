/**
 * @module features/demo/simulated-history
 * Two weeks of a shop's visitors as events, deterministic for a seed: each visitor arrives once,
 * gets the flags' values from the real evaluation of the environment's config (so the exposures
 * are exactly what an SDK would have logged), and then buys, or hits an error, with the chances
 * the demo story gives what they were served. The same seed gives the same visitors, choices and
 * times before the end whenever it runs: only the end moves the timestamps.
 */
import { type CompiledConfig, type EvaluationResult, evaluate } from '@cleave/core';
import type { StoredEvent } from '../../ports/stored-event.js';
import { VISITOR_BEHAVIOUR } from './demo-story.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export interface SimulatedHistoryInput {
  projectId: string;
  environmentId: string;
  compiled: CompiledConfig;
  /** The flags whose experiment assignments become exposures. */
  flagKeys: readonly string[];
  /** The flag whose value decides how likely a visitor is to buy. */
  behaviourFlag: string;
  /** History ends here (no event is later) and starts `days` before. */
  end: Date;
  days: number;
  visitorsPerDay: number;
  seed: number;
}

/** mulberry32: small, fast and good enough to simulate visitors reproducibly. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export function simulatedHistory(input: SimulatedHistoryInput): StoredEvent[] {
  const random = seededRandom(input.seed);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
  const end = input.end.getTime();
  const start = end - input.days * DAY_MS;
  const events: StoredEvent[] = [];
  let sequence = 0;
  const push = (event: Omit<StoredEvent, 'eventId' | 'projectId' | 'environmentId' | 'receivedAt'>) => {
    sequence += 1;
    events.push({
      eventId: `demo-${input.seed}-${sequence}`,
      projectId: input.projectId,
      environmentId: input.environmentId,
      receivedAt: event.occurredAt,
      ...event,
    });
  };
  const at = (time: number) => new Date(Math.floor(time)).toISOString();

  let visitor = 0;
  for (let day = 0; day < input.days; day++) {
    const dayStart = start + day * DAY_MS;
    // Two days a week are quieter, and the shop grows a little over the two weeks. Counted from
    // the first day, not the calendar, so the history is the same whatever day it is seeded.
    const quiet = day % 7 >= 5;
    const volume = input.visitorsPerDay * (quiet ? 0.75 : 1) * (0.9 + (0.2 * day) / input.days);
    for (let index = 0; index < Math.round(volume); index++) {
      visitor += 1;
      const arrival = dayStart + random() * DAY_MS;
      const context = {
        targetingKey: `visitor-${visitor}`,
        country: pick(VISITOR_BEHAVIOUR.countries),
        device: pick(VISITOR_BEHAVIOUR.devices),
      };
      const served = new Map<string, EvaluationResult>();
      for (const flagKey of input.flagKeys) {
        const result = evaluate(input.compiled, flagKey, context);
        served.set(flagKey, result);
        if (!result.assignment) continue;
        push({
          type: 'exposure',
          unitId: context.targetingKey,
          experiment: result.assignment.experimentKey,
          variant: result.assignment.variationKey,
          eventName: null,
          value: null,
          properties: JSON.stringify({ country: context.country, device: context.device }),
          occurredAt: at(arrival),
        });
      }
      const flow = String(served.get(input.behaviourFlag)?.value ?? '');
      const purchaseRate = VISITOR_BEHAVIOUR.purchaseRate[flow] ?? 0;
      const buys = random() < purchaseRate;
      const purchaseAt = arrival + random() * 36 * HOUR_MS;
      // Order values are skewed, as real ones are: mostly small, a few large.
      const orderValue =
        Math.round(VISITOR_BEHAVIOUR.meanOrderValue * -Math.log(1 - random() * 0.999) * 100) / 100;
      if (buys && purchaseAt < end) {
        push({
          type: 'track',
          unitId: context.targetingKey,
          experiment: null,
          variant: null,
          eventName: 'purchase',
          value: orderValue,
          properties: JSON.stringify({ currency: 'EUR' }),
          occurredAt: at(purchaseAt),
        });
      }
      const errorAt = arrival + random() * HOUR_MS;
      if (random() < VISITOR_BEHAVIOUR.pageErrorRate && errorAt < end) {
        push({
          type: 'track',
          unitId: context.targetingKey,
          experiment: null,
          variant: null,
          eventName: 'page-error',
          value: null,
          properties: null,
          occurredAt: at(errorAt),
        });
      }
    }
  }
  return events;
}
