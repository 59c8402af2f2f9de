/**
 * @module The ingestion suite's data: a realistic mix of exposures and tracked events as SDKs send
 * them (unique UUIDs, times within the last minute), the request bodies that carry them, and the
 * same events as the CSV rows the server's COPY writer would produce, for the raw COPY ceiling.
 */
import { randomUUID } from 'node:crypto';
import { csvLine, DEFAULT_EVENT_LIMITS, EventRejection, validateEvent } from '@cleave/server/tooling';

export { COPY_COLUMNS } from '@cleave/server/tooling';

export type RawEvent =
  | {
      id: string;
      type: 'exposure';
      unitId: string;
      experiment: string;
      variant: string;
      timestamp: string;
      attributes?: Record<string, unknown>;
    }
  | {
      id: string;
      type: 'track';
      unitId: string;
      event: string;
      value?: number;
      timestamp: string;
      properties?: Record<string, unknown>;
    };

const EXPERIMENTS = ['checkout-cta', 'pricing-page', 'onboarding-flow', 'search-ranking', 'free-shipping'];
const VARIANTS = ['control', 'treatment'];
const TRACKED = ['page_view', 'add_to_cart', 'purchase', 'signup'];
const COUNTRIES = ['NL', 'DE', 'US', 'FR', 'BR', 'JP'];
const PAGES = ['/', '/search', '/product/42', '/cart', '/checkout'];

function pick<T>(values: readonly T[]): T {
  return values[Math.floor(Math.random() * values.length)] as T;
}

/** `count` events: 60 % exposures (a third with attributes), 40 % tracks (purchases carry a value). */
export function generateEvents(count: number, now = Date.now()): RawEvent[] {
  const events: RawEvent[] = [];
  for (let index = 0; index < count; index++) {
    const id = randomUUID();
    const unitId = `user-${Math.floor(Math.random() * 200_000)}`;
    // Milliseconds within the last minute, as a batching SDK would report them.
    const timestamp = new Date(now - Math.floor(Math.random() * 60_000)).toISOString();
    if (Math.random() < 0.6) {
      events.push({
        id,
        type: 'exposure',
        unitId,
        experiment: pick(EXPERIMENTS),
        variant: pick(VARIANTS),
        timestamp,
        ...(Math.random() < 1 / 3 && { attributes: { country: pick(COUNTRIES), plan: 'pro' } }),
      });
    } else {
      const event = pick(TRACKED);
      events.push({
        id,
        type: 'track',
        unitId,
        event,
        ...(event === 'purchase' && { value: Math.round(Math.random() * 20_000) / 100 }),
        timestamp,
        ...(Math.random() < 0.5 && { properties: { page: pick(PAGES), device: 'mobile' } }),
      });
    }
  }
  return events;
}

/** `POST /api/v1/events` bodies of `batchSize` events each, serialised ahead of the clock. */
export function requestBodies(events: readonly RawEvent[], batchSize: number): Buffer[] {
  const bodies: Buffer[] = [];
  for (let start = 0; start < events.length; start += batchSize) {
    bodies.push(Buffer.from(JSON.stringify({ events: events.slice(start, start + batchSize) })));
  }
  return bodies;
}

/**
 * The stored row of an event, as one CSV line for `copy events (COPY_COLUMNS) from stdin csv`:
 * exactly what the server would store and its writer would send, from the server's own code.
 */
export function csvRow(
  event: RawEvent,
  target: { projectId: string; environmentId: string },
  receivedAt: string,
): string {
  const stored = validateEvent(event, {
    ...target,
    now: Date.parse(receivedAt),
    receivedAt,
    limits: DEFAULT_EVENT_LIMITS,
  });
  if (stored instanceof EventRejection) throw new Error(`generated an invalid event: ${stored.message}`);
  return csvLine(stored);
}

/** The UTC days (`YYYY-MM-DD`) the events fall on: the partitions a COPY needs. */
export function daysOf(events: readonly RawEvent[]): Set<string> {
  return new Set(events.map((event) => event.timestamp.slice(0, 10)));
}
