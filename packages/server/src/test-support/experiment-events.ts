/**
 * @module test-support/experiment-events
 * Deterministic, messy event data for one experiment: repeated exposures, units exposed to both
 * variants or to a variant the experiment lacks, exposures outside the analysed period, events
 * before exposure (CUPED's pre-period), outside conversion windows, in another environment, with
 * and without values and properties; and a known lift in the treatment.
 */
import { randomUUID } from 'node:crypto';
import type { StoredEvent } from '../ports/stored-event.js';

/** mulberry32: a tiny seeded generator, so a failing case can be replayed. */
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

export interface ExperimentEventsOptions {
  projectId: string;
  environmentId: string;
  /** Another environment of the same project: its events must never count. */
  otherEnvironmentId: string;
  experimentKey: string;
  units: number;
  /** The first exposures fall in `[start, start + spreadHours)`. */
  start: Date;
  spreadHours: number;
  seed: number;
}

const COUNTRIES = ['NL', 'DE', 'FR', 'US', 'BR', 'JP'];
const HOUR_MS = 3_600_000;

/** Raw events in the shape the events store keeps (as ingestion would store them). */
export function experimentEvents(options: ExperimentEventsOptions): StoredEvent[] {
  const random = seededRandom(options.seed);
  const events: StoredEvent[] = [];
  const at = (time: number) => new Date(Math.round(time)).toISOString();
  const push = (event: Partial<StoredEvent> & Pick<StoredEvent, 'type' | 'unitId' | 'occurredAt'>) =>
    events.push({
      eventId: randomUUID(),
      projectId: options.projectId,
      environmentId: options.environmentId,
      experiment: null,
      variant: null,
      eventName: null,
      value: null,
      properties: null,
      receivedAt: event.occurredAt,
      ...event,
    });
  for (let index = 0; index < options.units; index++) {
    const unitId = `unit-${index}`;
    const variant = random() < 0.5 ? 'control' : 'treatment';
    const lift = variant === 'treatment' ? 1.5 : 1;
    const t0 = options.start.getTime() + random() * options.spreadHours * HOUR_MS;
    const roll = random();
    const attributes =
      roll < 0.1
        ? null
        : JSON.stringify({
            country: COUNTRIES[Math.floor(random() * COUNTRIES.length)],
            plan: 'pro',
            cohort: `c${index % 30}`,
          });
    push({
      type: 'exposure',
      unitId,
      experiment: options.experimentKey,
      variant,
      occurredAt: at(t0),
      properties: attributes,
    });
    // A later, repeated exposure to the same variant (does not move t0).
    if (random() < 0.3)
      push({
        type: 'exposure',
        unitId,
        experiment: options.experimentKey,
        variant,
        occurredAt: at(t0 + random() * 20 * HOUR_MS),
      });
    // A few units see the other variant too, or a variant the experiment does not have.
    if (random() < 0.04) {
      const other = variant === 'control' ? 'treatment' : 'control';
      push({
        type: 'exposure',
        unitId,
        experiment: options.experimentKey,
        variant: other,
        occurredAt: at(t0 + HOUR_MS),
      });
    }
    if (random() < 0.02) {
      push({
        type: 'exposure',
        unitId: `ghost-${index}`,
        experiment: options.experimentKey,
        variant: 'ghost',
        occurredAt: at(t0),
      });
    }
    // Exposures to another experiment, and in another environment, never count.
    if (random() < 0.1)
      push({
        type: 'exposure',
        unitId,
        experiment: 'other-experiment',
        variant: 'control',
        occurredAt: at(t0),
      });
    if (random() < 0.1)
      push({
        type: 'exposure',
        unitId,
        experiment: options.experimentKey,
        variant,
        occurredAt: at(t0),
        environmentId: options.otherEnvironmentId,
      });

    // Pre-exposure behaviour (CUPED's covariate), correlated with what follows.
    const appetite = random();
    const preVisits = Math.floor(appetite * 5);
    for (let visit = 0; visit < preVisits; visit++) {
      push({ type: 'track', unitId, eventName: 'view', occurredAt: at(t0 - random() * 20 * 24 * HOUR_MS) });
    }
    if (random() < appetite * 0.5)
      push({
        type: 'track',
        unitId,
        eventName: 'purchase',
        value: Math.round(random() * 8000) / 100,
        occurredAt: at(t0 - random() * 10 * 24 * HOUR_MS),
        properties: JSON.stringify({ currency: 'EUR' }),
      });

    // After exposure: views, purchases (some without value, some in USD), inside and outside windows.
    const views = Math.floor(appetite * 6 * lift + random() * 2);
    for (let view = 0; view < views; view++) {
      push({ type: 'track', unitId, eventName: 'view', occurredAt: at(t0 + random() * 96 * HOUR_MS) });
    }
    if (random() < 0.25 * lift * (0.5 + appetite)) {
      const purchases = 1 + Math.floor(random() * 3);
      for (let purchase = 0; purchase < purchases; purchase++) {
        const currency = random() < 0.8 ? 'EUR' : 'USD';
        const hasValue = random() < 0.9;
        push({
          type: 'track',
          unitId,
          eventName: 'purchase',
          ...(hasValue && { value: Math.round(random() * 12000 * lift) / 100 }),
          occurredAt: at(t0 + random() * 120 * HOUR_MS),
          properties: JSON.stringify({ currency, items: 1 + Math.floor(random() * 4), gift: random() < 0.2 }),
        });
      }
    }
    // The same unit's events in another environment.
    if (random() < 0.2)
      push({
        type: 'track',
        unitId,
        eventName: 'purchase',
        value: 10,
        occurredAt: at(t0 + HOUR_MS),
        environmentId: options.otherEnvironmentId,
      });
  }
  return events;
}
