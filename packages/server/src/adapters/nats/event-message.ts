/**
 * @module adapters/nats/event-message
 * The wire format of events in the log. One message carries one ingested batch: the fields every
 * event of a request shares (project, environment, time received) once, then each event as a
 * positional row. Against one JSON object per event this halves the bytes NATS stores, delivers
 * and the writer parses — the log's costs grow with bytes, not messages.
 *
 * `{ "v": 2, "p": projectId, "e": environmentId, "r": receivedAt,
 *    "rows": [[eventId, type, unitId, experiment, variant, eventName, value, properties, occurredAt,
 *              receivedAt?], …] }` — a row's own receivedAt only where it differs from "r" (batches of
 * several requests share a message).
 */
import type { StoredEvent } from '../../features/events/event.js';

type Row = [
  eventId: string,
  type: StoredEvent['type'],
  unitId: string,
  experiment: string | null,
  variant: string | null,
  eventName: string | null,
  value: number | null,
  properties: Record<string, unknown> | null,
  occurredAt: string,
  receivedAt?: string,
];

interface Envelope {
  v: 2;
  p: string;
  e: string;
  r: string;
  rows: Row[];
}

export interface EncodedMessage {
  events: StoredEvent[];
  data: string;
}

function rowOf(event: StoredEvent, receivedAt: string): string {
  const row: Row = [
    event.eventId,
    event.type,
    event.unitId,
    event.experiment,
    event.variant,
    event.eventName,
    event.value,
    event.properties,
    event.occurredAt,
  ];
  if (event.receivedAt !== receivedAt) row.push(event.receivedAt);
  return JSON.stringify(row);
}

function sameEnvelope(a: StoredEvent, b: StoredEvent): boolean {
  return a.projectId === b.projectId && a.environmentId === b.environmentId;
}

/**
 * Encodes events as messages of at most `maxBytes` (an event larger than that goes alone); a new
 * message also starts where the shared fields change.
 */
export function encodeEventMessages(events: readonly StoredEvent[], maxBytes: number): EncodedMessage[] {
  const messages: EncodedMessage[] = [];
  let current: StoredEvent[] = [];
  let rows: string[] = [];
  let header = '';
  let size = 0;
  const flush = () => {
    if (current.length > 0) messages.push({ events: current, data: `${header}${rows.join(',')}]}` });
    current = [];
    rows = [];
  };
  for (const event of events) {
    const first = current[0];
    const row = rowOf(event, first && sameEnvelope(first, event) ? first.receivedAt : event.receivedAt);
    if (first && (!sameEnvelope(first, event) || size + row.length + 1 > maxBytes)) flush();
    if (current.length === 0) {
      header = `{"v":2,"p":${JSON.stringify(event.projectId)},"e":${JSON.stringify(event.environmentId)},"r":${JSON.stringify(event.receivedAt)},"rows":[`;
      size = header.length + 2;
    }
    current.push(event);
    rows.push(row);
    size += row.length + 1;
  }
  flush();
  return messages;
}

/** Decodes a message; also reads the earlier formats (one event object, or an array of them). */
export function decodeEventMessage(body: unknown): StoredEvent[] {
  if (Array.isArray(body)) return body as StoredEvent[];
  const envelope = body as Partial<Envelope>;
  if (envelope.v !== 2) return [body as StoredEvent];
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
      properties,
      occurredAt,
      receivedAt: ownReceivedAt ?? receivedAt,
    }),
  );
}
