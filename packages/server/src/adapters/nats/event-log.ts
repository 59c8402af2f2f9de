/**
 * @module adapters/nats/event-log
 * The production event log on NATS JetStream: the API's side, publishing accepted events.
 *
 * - Publishing: one message per ingested batch (split below NATS's payload limit), with
 *   `Nats-Msg-Id` derived from the batch's environment and event ids, so a re-sent batch is dropped by the stream's
 *   duplicate window and reported as duplicates at once. `append` resolves only when every message
 *   is acknowledged by the stream (stored on disk, replicated when the stream is), never before.
 *   One message per event made NATS and the API's publishing the largest cost of the whole
 *   pipeline; per batch it is small (README, "Benchmarks").
 * - Events re-sent in a different batch are not recognised by the log; the store's key on
 *   (environment, event id, time) stores them once all the same. Exactly-once rests on the store, the log's
 *   de-duplication only saves work.
 * - Consuming: a durable pull consumer with explicit acks; the writer acknowledges messages only
 *   after the database commit, so a crash redelivers instead of losing (the store dedupes).
 */

import { type JetStreamClient, jetstream } from '@nats-io/jetstream';
import { headers, type NatsConnection } from '@nats-io/transport-node';
import { type AppendResult, type EventLog, EventLogUnavailableError } from '../../ports/event-log.js';
import type { StoredEvent } from '../../ports/stored-event.js';
import {
  currentTraceCarrier,
  inSpanContinuing,
  SpanKind,
  type TraceCarrier,
} from '../../runtime/trace-context.js';
import { encodeEventMessages } from './event-message.js';
import { type EventStreamSettings, MAX_MESSAGE_BYTES, subjectPrefix } from './event-stream.js';

interface PendingAppend {
  events: readonly StoredEvent[];
  /** The appending request's trace context (tracing on), carried to the writer in each message. */
  trace: TraceCarrier | undefined;
  resolve: (result: AppendResult) => void;
  reject: (error: Error) => void;
}

export class JetStreamEventLog implements EventLog {
  private readonly client: JetStreamClient;
  private pending: PendingAppend[] = [];

  constructor(
    connection: NatsConnection,
    private readonly settings: EventStreamSettings,
  ) {
    this.client = jetstream(connection, { timeout: settings.publishTimeoutMs });
  }

  /**
   * Appends that arrive in the same turn of the event loop share messages: under load several
   * requests' batches go to the stream together, and the log's cost is per message. A request
   * alone in its turn gets messages of its own, so an unchanged retry is recognised at once.
   */
  append(events: readonly StoredEvent[]): Promise<AppendResult> {
    return new Promise((resolve, reject) => {
      if (this.pending.length === 0) setImmediate(() => void this.publishPending());
      this.pending.push({ events, trace: currentTraceCarrier(), resolve, reject });
    });
  }

  private async publishPending(): Promise<void> {
    const appends = this.pending;
    this.pending = [];
    const owners: number[] = [];
    const events: StoredEvent[] = [];
    appends.forEach((append, index) => {
      for (const event of append.events) {
        events.push(event);
        owners.push(index);
      }
    });
    try {
      const prefix = subjectPrefix(this.settings);
      const messages = encodeEventMessages(events, MAX_MESSAGE_BYTES);
      const tracing = appends.some((append) => append.trace !== undefined);
      let first = 0;
      const acks = await Promise.all(
        messages.map(({ events: chunk, data, id }) => {
          // A message shared by several requests continues the trace of its first event's request
          // and links the others'.
          const traces = tracing ? tracesOf(appends, owners.slice(first, first + chunk.length)) : [];
          first += chunk.length;
          const subject = `${prefix}.${chunk[0]?.environmentId ?? 'none'}`;
          const publish = () => {
            const carrier = currentTraceCarrier();
            const traceHeaders = carrier && headers();
            for (const [name, value] of Object.entries(carrier ?? {})) traceHeaders?.set(name, value);
            return this.client.publish(subject, data, {
              msgID: id,
              timeout: this.settings.publishTimeoutMs,
              ...(traceHeaders && { headers: traceHeaders }),
            });
          };
          return traces.length > 0
            ? inSpanContinuing(
                'events publish',
                traces,
                {
                  kind: SpanKind.PRODUCER,
                  attributes: {
                    'messaging.system': 'nats',
                    'messaging.operation.type': 'send',
                    'messaging.destination.name': subject,
                    'cleave.events': chunk.length,
                  },
                },
                publish,
              )
            : publish();
        }),
      );
      // A duplicate message's events are duplicates of whichever append they came from.
      const duplicates = appends.map(() => 0);
      let offset = 0;
      messages.forEach((message, index) => {
        if (acks[index]?.duplicate) {
          for (let position = 0; position < message.events.length; position++) {
            const owner = owners[offset + position] as number;
            duplicates[owner] = (duplicates[owner] ?? 0) + 1;
          }
        }
        offset += message.events.length;
      });
      appends.forEach((append, index) => {
        append.resolve({ duplicates: duplicates[index] ?? 0 });
      });
    } catch (error) {
      const failure = new EventLogUnavailableError(
        `The event log did not acknowledge: ${error instanceof Error ? error.message : String(error)}`,
      );
      for (const append of appends) append.reject(failure);
    }
  }

  async close(): Promise<void> {}
}

/** The distinct trace contexts of the appends owning a message's events, in order. */
function tracesOf(appends: readonly PendingAppend[], owners: readonly number[]): TraceCarrier[] {
  const traces: TraceCarrier[] = [];
  let previous = -1;
  for (const owner of owners) {
    if (owner === previous) continue;
    previous = owner;
    const trace = appends[owner]?.trace;
    if (trace && !traces.includes(trace)) traces.push(trace);
  }
  return traces;
}
