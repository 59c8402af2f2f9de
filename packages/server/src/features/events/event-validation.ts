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

export function validateEvent(raw: unknown, now: number, limits: EventLimits): ValidatedEvent {
  const parsed = RawEvent.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.length ? issue.path.map(String).join('.') : 'event';
    return { ok: false, code: 'invalid_event', message: `${path}: ${issue?.message ?? 'is invalid'}` };
  }
  const event = parsed.data;
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
