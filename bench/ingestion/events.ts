/**
 * @module The ingestion suite's data: a realistic mix of exposures and tracked events as SDKs send
 * them (unique UUIDs, times within the last minute), the request bodies that carry them, and the
 * same events as the CSV rows the server's COPY writer would produce, for the raw COPY ceiling.
 */
import { randomUUID } from 'node:crypto';

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

/** The columns the server's COPY writer fills, in its order. */
export const COPY_COLUMNS = [
  'event_id',
  'project_id',
  'environment_id',
  'type',
  'unit_id',
  'experiment',
  'variant',
  'event_name',
  'value',
  'properties',
  'occurred_at',
  'received_at',
] as const;

/** CSV as the writer produces it: NULL is an empty unquoted field, every string is quoted. */
function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  return `"${value.replaceAll('"', '""')}"`;
}

/** The stored row of an event, as one CSV line for `copy events (COPY_COLUMNS) from stdin csv`. */
export function csvRow(
  event: RawEvent,
  target: { projectId: string; environmentId: string },
  receivedAt: string,
): string {
  const exposure = event.type === 'exposure';
  const properties = exposure ? event.attributes : event.properties;
  return `${[
    event.id,
    target.projectId,
    target.environmentId,
    event.type,
    event.unitId,
    exposure ? event.experiment : null,
    exposure ? event.variant : null,
    exposure ? null : event.event,
    exposure ? null : (event.value ?? null),
    properties === undefined ? null : JSON.stringify(properties),
    new Date(event.timestamp).toISOString(),
    receivedAt,
  ]
    .map(csvField)
    .join(',')}\n`;
}

/** The UTC days (`YYYY-MM-DD`) the events fall on: the partitions a COPY needs. */
export function daysOf(events: readonly RawEvent[]): Set<string> {
  return new Set(events.map((event) => event.timestamp.slice(0, 10)));
}
