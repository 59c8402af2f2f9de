/**
 * @module features/events/event-validation
 * Validates one raw event on its own, so a batch with a few bad events still stores the good ones.
 * Times far in the past or future are refused: they are clock bugs, and accepting them would put
 * events outside every analysis window (and create partitions for them).
 */
import { z } from 'zod';
import type { StoredEvent } from './event.js';

export interface EventLimits {
  /** How far in the past an event may be, in ms (late-arriving mobile events need days). */
  maxAgeMs: number;
  /** How far in the future (client clock skew), in ms. */
  maxFutureMs: number;
}

export const DEFAULT_EVENT_LIMITS: EventLimits = {
  maxAgeMs: 7 * 24 * 60 * 60 * 1000,
  maxFutureMs: 5 * 60 * 1000,
};

const Text = (max: number) => z.string().min(1).max(max);
const Properties = z
  .record(z.string().max(200), z.unknown())
  .refine((value) => JSON.stringify(value).length <= 8_192, { message: 'must serialise to at most 8 KiB' });

const base = {
  id: z.uuid({ error: 'must be a UUID' }),
  unitId: Text(500),
  timestamp: z.iso.datetime({
    offset: true,
    error: 'must be an ISO-8601 time with a zone, e.g. 2026-11-25T12:00:00Z',
  }),
};

const ExposureEvent = z.object({
  ...base,
  type: z.literal('exposure'),
  experiment: Text(100),
  variant: Text(100),
  attributes: Properties.optional(),
});

const TrackEvent = z.object({
  ...base,
  type: z.literal('track'),
  event: Text(200),
  value: z.number().finite().optional(),
  properties: Properties.optional(),
});

export const RawEvent = z.discriminatedUnion('type', [ExposureEvent, TrackEvent]);

export type ValidatedEvent =
  | { ok: true; event: Omit<StoredEvent, 'projectId' | 'environmentId' | 'receivedAt'> }
  | { ok: false; code: string; message: string };

type RawEventShape = z.infer<typeof RawEvent>;

// The same UUID rule zod applies (versions 1-8, RFC variant, plus the nil and max UUIDs).
const UUID =
  /^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}|00000000-0000-0000-0000-000000000000|ffffffff-ffff-ffff-ffff-ffffffffffff)$/;
const ISO_TIME =
  /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,9})?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

function isText(value: unknown, max: number): value is string {
  return typeof value === 'string' && value.length >= 1 && value.length <= max;
}

function isProperties(value: unknown): value is Record<string, unknown> | undefined {
  if (value === undefined) return true;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  for (const key of Object.keys(value)) if (key.length > 200) return false;
  return JSON.stringify(value).length <= 8_192;
}

/**
 * The common case, checked by hand: ingestion validates every event of every batch, and the
 * schema's generic machinery was a measurable share of the API's CPU. Anything unusual returns
 * undefined and goes through the schema, which then also words the error; so this path may only
 * accept what the schema accepts (never the reverse), and yields the same value.
 */
function parseCommonEvent(raw: unknown): RawEventShape | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const event = raw as Record<string, unknown>;
  const { id, unitId, timestamp } = event;
  if (typeof id !== 'string' || !UUID.test(id) || !isText(unitId, 500)) return undefined;
  if (typeof timestamp !== 'string' || !ISO_TIME.test(timestamp)) return undefined;
  if (event.type === 'exposure') {
    const { experiment, variant, attributes } = event;
    if (!isText(experiment, 100) || !isText(variant, 100) || !isProperties(attributes)) return undefined;
    return {
      id,
      unitId,
      timestamp,
      type: 'exposure',
      experiment,
      variant,
      ...(attributes !== undefined && { attributes }),
    };
  }
  if (event.type === 'track') {
    const { event: name, value, properties } = event;
    if (!isText(name, 200) || !isProperties(properties)) return undefined;
    if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value))) return undefined;
    return {
      id,
      unitId,
      timestamp,
      type: 'track',
      event: name,
      ...(value !== undefined && { value }),
      ...(properties !== undefined && { properties }),
    };
  }
  return undefined;
}

export function validateEvent(raw: unknown, now: number, limits: EventLimits): ValidatedEvent {
  let event = parseCommonEvent(raw);
  if (!event) {
    const parsed = RawEvent.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const path = issue?.path.length ? issue.path.map(String).join('.') : 'event';
      return { ok: false, code: 'invalid_event', message: `${path}: ${issue?.message ?? 'is invalid'}` };
    }
    event = parsed.data;
  }
  const occurred = Date.parse(event.timestamp);
  if (occurred < now - limits.maxAgeMs) {
    return {
      ok: false,
      code: 'timestamp_too_old',
      message: `timestamp is more than ${Math.round(limits.maxAgeMs / 3_600_000)} hours in the past`,
    };
  }
  if (occurred > now + limits.maxFutureMs) {
    return {
      ok: false,
      code: 'timestamp_in_future',
      message: `timestamp is more than ${Math.round(limits.maxFutureMs / 60_000)} minutes in the future`,
    };
  }
  return {
    ok: true,
    event: {
      eventId: event.id.toLowerCase(),
      type: event.type,
      unitId: event.unitId,
      experiment: event.type === 'exposure' ? event.experiment : null,
      variant: event.type === 'exposure' ? event.variant : null,
      eventName: event.type === 'track' ? event.event : null,
      value: event.type === 'track' ? (event.value ?? null) : null,
      properties: (event.type === 'exposure' ? event.attributes : event.properties) ?? null,
      occurredAt: new Date(occurred).toISOString(),
    },
  };
}
