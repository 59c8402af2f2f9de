/**
 * @module adapters/nats/event-message
 * The wire format of events in the log. One message carries one ingested batch (or several that
 * arrived together): the fields its events share (project, environment, time received) once, then
 * each event as a positional row. Against one JSON object per event this halves the bytes NATS
 * stores, delivers and the writer parses — the log's costs grow with bytes, not messages.
 *
 * `{ "v": 3, "p": projectId, "e": environmentId, "r": receivedAt,
 *    "rows": [[eventId, type, unitId, experiment, variant, eventName, value, properties, occurredAt,
 *              receivedAt?], …] }` — `properties` is the stored JSON text (a string), and a row
 * carries its own receivedAt only where it differs from "r".
 *
 * Version 2 had `properties` as a JSON value; it and the single-event formats before it are still
 * read, so messages written by an older API are stored after an upgrade.
 */
import { createHash } from 'node:crypto';
import type { StoredEvent } from '../../ports/stored-event.js';

type Row = [
  eventId: string,
  type: StoredEvent['type'],
  unitId: string,
  experiment: string | null,
  variant: string | null,
  eventName: string | null,
  value: number | null,
  /** v3: JSON text; v2: the value itself. */
  properties: string | Record<string, unknown> | null,
  occurredAt: string,
  receivedAt?: string,
];

interface Envelope {
  v: 2 | 3;
  p: string;
  e: string;
  r: string;
  rows: Row[];
}

export interface EncodedMessage {
  events: StoredEvent[];
  data: string;
  /** The message's identity for the log's de-duplication: see {@link batchId}. */
  id: string;
}

function jsonText(value: string | null): string {
  return value === null ? 'null' : JSON.stringify(value);
}

/**
 * One row as JSON, written out field by field: it runs once per event on the API's hot path,
 * where stringifying an array built for the purpose cost twice as much.
 */
function rowOf(event: StoredEvent, receivedAt: string): string {
  const row =
    `[${JSON.stringify(event.eventId)},${JSON.stringify(event.type)},${JSON.stringify(event.unitId)},` +
    `${jsonText(event.experiment)},${jsonText(event.variant)},${jsonText(event.eventName)},` +
    `${event.value === null ? 'null' : JSON.stringify(event.value)},${jsonText(event.properties)},` +
    `${JSON.stringify(event.occurredAt)}`;
  return event.receivedAt === receivedAt ? `${row}]` : `${row},${JSON.stringify(event.receivedAt)}]`;
}

/** The store's identity of an event (environment, id, time), so the log drops no event the store
 * would keep: the same ids sent to two environments are two messages. */
function identityOf(event: StoredEvent): string {
  return `${event.environmentId}:${event.eventId}:${event.occurredAt}\n`;
}

function digest(identities: string): string {
  return createHash('sha256').update(identities).digest('base64url');
}

/**
 * A batch's identity: the same events (environment, id, time) in the same order give the same id. SDKs retry a batch
 * unchanged, so order needs no normalising (sorting cost more than all the rest of the hashing).
 */
export function batchId(events: readonly StoredEvent[]): string {
  return digest(events.map(identityOf).join(''));
}

/**
 * Encodes events as messages of at most `maxBytes` (an event larger than that goes alone); a new
 * message also starts where the shared fields change.
 */
export function encodeEventMessages(events: readonly StoredEvent[], maxBytes: number): EncodedMessage[] {
  const messages: EncodedMessage[] = [];
  let first: StoredEvent | undefined;
  let current: StoredEvent[] = [];
  let rows = '';
  let identities = '';
  let header = '';
  const flush = () => {
    if (current.length > 0)
      messages.push({ events: current, data: `${header}${rows}]}`, id: digest(identities) });
    first = undefined;
    current = [];
    rows = '';
    identities = '';
  };
  for (const event of events) {
    const shared =
      first !== undefined &&
      first.projectId === event.projectId &&
      first.environmentId === event.environmentId;
    const row = rowOf(event, shared && first ? first.receivedAt : event.receivedAt);
    if (first && (!shared || header.length + rows.length + row.length + 3 > maxBytes)) flush();
    if (first === undefined) {
      first = event;
      header = `{"v":3,"p":${JSON.stringify(event.projectId)},"e":${JSON.stringify(event.environmentId)},"r":${JSON.stringify(event.receivedAt)},"rows":[`;
    } else {
      rows += ',';
    }
    current.push(event);
    rows += row;
    identities += identityOf(event);
  }
  flush();
  return messages;
}

/** Stored JSON text of properties, from either envelope version. */
function propertiesOf(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** A stored event in the single-event formats before v2 (properties a JSON value). */
function fromEarlierFormat(value: unknown): StoredEvent {
  const event = value as StoredEvent & { properties: unknown };
  return { ...event, properties: propertiesOf(event.properties) };
}

/** Decodes a message; also reads the earlier formats (v2, one event object, or an array of them). */
export function decodeEventMessage(body: unknown): StoredEvent[] {
  if (Array.isArray(body)) return body.map(fromEarlierFormat);
  const envelope = body as Partial<Envelope>;
  if (envelope.v !== 2 && envelope.v !== 3) return [fromEarlierFormat(body)];
  const { p: projectId, e: environmentId, r: receivedAt, rows } = envelope as Envelope;
  return rows.map(
    ([
      eventId,
      type,
      unitId,
      experiment,
      variant,
      eventName,
      value,
      properties,
      occurredAt,
      ownReceivedAt,
    ]) => ({
      eventId,
      projectId,
      environmentId,
      type,
      unitId,
      experiment,
      variant,
      eventName,
      value,
      properties: propertiesOf(properties),
      occurredAt,
      receivedAt: ownReceivedAt ?? receivedAt,
    }),
  );
}
