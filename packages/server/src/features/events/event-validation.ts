/**
 * @module features/events/event-validation
 * Validates one raw event on its own, so a batch with a few bad events still stores the good ones.
 * Times far in the past or future are refused: they are clock bugs, and accepting them would put
 * events outside every analysis window (and create partitions for them).
 */
import { MAX_EVENT_PROPERTIES_DEPTH, nestsDeeperThan } from '@cleave/core';
import { z } from 'zod';
import { isStorableJson, isStorableText, UNSTORABLE_TEXT } from '../../http/storable-text.js';
import type { StoredEvent } from '../../ports/stored-event.js';

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

/** Attributes and properties, serialised as JSON. */
const MAX_PROPERTIES_JSON = 8_192;

/** Text PostgreSQL cannot store would fail the writer's whole COPY. */
const STORABLE = { message: UNSTORABLE_TEXT };

const Text = (max: number) => z.string().min(1).max(max).refine(isStorableText, STORABLE);
const Properties = z
  .record(z.string().max(200), z.unknown())
  // First, and aborting: serialising a value nested much deeper would overflow the stack.
  .refine((value) => !nestsDeeperThan(value, MAX_EVENT_PROPERTIES_DEPTH), {
    message: `must nest at most ${MAX_EVENT_PROPERTIES_DEPTH} levels of objects and arrays`,
    abort: true,
  })
  .refine((value) => JSON.stringify(value).length <= MAX_PROPERTIES_JSON, {
    message: 'must serialise to at most 8 KiB',
  })
  .refine((value) => isStorableJson(JSON.stringify(value)), STORABLE);

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

/** Where and when a batch arrived: every event of it is bound to these. */
export interface IngestContext {
  projectId: string;
  environmentId: string;
  /** Receive time, ms since the epoch, and the same instant as ISO-8601. */
  now: number;
  receivedAt: string;
  limits: EventLimits;
}

/** Why one event of a batch was refused. */
export class EventRejection {
  constructor(
    readonly code: string,
    readonly message: string,
  ) {}
}

type RawEventShape = z.infer<typeof RawEvent>;

// The same UUID rule zod applies (versions 1-8, RFC variant, plus the nil and max UUIDs).
const UUID =
  /^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}|00000000-0000-0000-0000-000000000000|ffffffff-ffff-ffff-ffff-ffffffffffff)$/;
const ISO_TIME =
  /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,9})?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

function digits(text: string, from: number, count: number): number {
  let value = 0;
  for (let index = from; index < from + count; index++) value = value * 10 + text.charCodeAt(index) - 48;
  return value;
}

/** ISO_TIME allows day 31 in every month; the schema (and the calendar) does not. */
function isRealDay(timestamp: string): boolean {
  const day = digits(timestamp, 8, 2);
  if (day <= 28) return true;
  const month = digits(timestamp, 5, 2);
  if (month !== 2) return day <= (month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31);
  const year = digits(timestamp, 0, 4);
  return day === 29 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

/** `2026-11-25T12:00:00.000Z`, exactly what `toISOString` gives: SDKs send this form. */
function isCanonicalTime(timestamp: string): boolean {
  return timestamp.length === 24 && timestamp.charCodeAt(19) === 46 && timestamp.charCodeAt(23) === 90;
}

function isText(value: unknown, max: number): value is string {
  return typeof value === 'string' && value.length >= 1 && value.length <= max && isStorableText(value);
}

/**
 * Attributes or properties as the JSON text they are stored as; null when absent, undefined when
 * the schema must decide (not a plain object, a long key, nested too deep, too big, unstorable text).
 */
function propertiesText(value: unknown): string | null | undefined {
  if (value === undefined) return null;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  for (const key in value) if (key.length > 200) return undefined;
  if (nestsDeeperThan(value, MAX_EVENT_PROPERTIES_DEPTH)) return undefined;
  const text = JSON.stringify(value);
  return text.length <= MAX_PROPERTIES_JSON && isStorableJson(text) ? text : undefined;
}

/**
 * The common case, checked by hand and turned straight into the stored event: ingestion
 * validates every event of every batch, and the schema's generic machinery (plus the objects
 * between it and the stored form) was the largest share of the API's CPU. Anything unusual
 * returns undefined and goes through the schema, which then also words the error; so this path
 * may only accept what the schema accepts (never the reverse), and yields the same event.
 */
function storedFromCommon(raw: unknown, context: IngestContext): StoredEvent | EventRejection | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const event = raw as Record<string, unknown>;
  const { id, unitId, timestamp, type } = event;
  if (typeof id !== 'string' || !UUID.test(id) || !isText(unitId, 500)) return undefined;
  if (typeof timestamp !== 'string' || !ISO_TIME.test(timestamp) || !isRealDay(timestamp)) return undefined;
  let experiment: string | null = null;
  let variant: string | null = null;
  let eventName: string | null = null;
  let value: number | null = null;
  let properties: string | null | undefined;
  let storedType: StoredEvent['type'];
  if (type === 'exposure') {
    storedType = type;
    if (!isText(event.experiment, 100) || !isText(event.variant, 100)) return undefined;
    experiment = event.experiment;
    variant = event.variant;
    properties = propertiesText(event.attributes);
  } else if (type === 'track') {
    const tracked = event.value;
    if (!isText(event.event, 200)) return undefined;
    storedType = type;
    if (tracked !== undefined && (typeof tracked !== 'number' || !Number.isFinite(tracked))) return undefined;
    eventName = event.event;
    value = tracked ?? null;
    properties = propertiesText(event.properties);
  } else {
    return undefined;
  }
  if (properties === undefined) return undefined;
  const occurred = Date.parse(timestamp);
  const outOfRange = checkRange(occurred, context);
  if (outOfRange) return outOfRange;
  return {
    eventId: id.toLowerCase(),
    projectId: context.projectId,
    environmentId: context.environmentId,
    type: storedType,
    unitId,
    experiment,
    variant,
    eventName,
    value,
    properties,
    occurredAt: isCanonicalTime(timestamp) ? timestamp : new Date(occurred).toISOString(),
    receivedAt: context.receivedAt,
  };
}

function checkRange(occurred: number, { now, limits }: IngestContext): EventRejection | undefined {
  if (occurred < now - limits.maxAgeMs) {
    return new EventRejection(
      'timestamp_too_old',
      `timestamp is more than ${Math.round(limits.maxAgeMs / 3_600_000)} hours in the past`,
    );
  }
  if (occurred > now + limits.maxFutureMs) {
    return new EventRejection(
      'timestamp_in_future',
      `timestamp is more than ${Math.round(limits.maxFutureMs / 60_000)} minutes in the future`,
    );
  }
  return undefined;
}

function storedFromSchema(event: RawEventShape, context: IngestContext): StoredEvent | EventRejection {
  const occurred = Date.parse(event.timestamp);
  const outOfRange = checkRange(occurred, context);
  if (outOfRange) return outOfRange;
  const properties = event.type === 'exposure' ? event.attributes : event.properties;
  return {
    eventId: event.id.toLowerCase(),
    projectId: context.projectId,
    environmentId: context.environmentId,
    type: event.type,
    unitId: event.unitId,
    experiment: event.type === 'exposure' ? event.experiment : null,
    variant: event.type === 'exposure' ? event.variant : null,
    eventName: event.type === 'track' ? event.event : null,
    value: event.type === 'track' ? (event.value ?? null) : null,
    properties: properties === undefined ? null : JSON.stringify(properties),
    occurredAt: new Date(occurred).toISOString(),
    receivedAt: context.receivedAt,
  };
}

/** One raw event as the event to store, bound to the batch's project, environment and time. */
export function validateEvent(raw: unknown, context: IngestContext): StoredEvent | EventRejection {
  const common = storedFromCommon(raw, context);
  if (common) return common;
  const parsed = RawEvent.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.length ? issue.path.map(String).join('.') : 'event';
    return new EventRejection('invalid_event', `${path}: ${issue?.message ?? 'is invalid'}`);
  }
  return storedFromSchema(parsed.data, context);
}
