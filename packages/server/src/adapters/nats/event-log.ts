/**
 * @module adapters/nats/event-log
 * The production event log on NATS JetStream.
 *
 * - Publishing: one message per ingested batch (split below NATS's payload limit), with
 *   `Nats-Msg-Id` derived from the batch's event ids, so a re-sent batch is dropped by the stream's
 *   duplicate window and reported as duplicates at once. `append` resolves only when every message
 *   is acknowledged by the stream (stored on disk, replicated when the stream is), never before.
 *   One message per event was measured at ~18 µs of NATS and ~30 µs of API CPU per event, the
 *   largest cost of the whole pipeline; per batch both are a few µs.
 * - Events re-sent in a different batch are not recognised by the log; the store's key on
 *   (event id, time) stores them once all the same. Exactly-once rests on the store, the log's
 *   de-duplication only saves work.
 * - Consuming: a durable pull consumer with explicit acks; the writer acknowledges messages only
 *   after the database commit, so a crash redelivers instead of losing (the store dedupes).
 */

import {
  AckPolicy,
  type Consumer,
  type ConsumerMessages,
  DeliverPolicy,
  type JetStreamClient,
  type JsMsg,
  jetstream,
  jetstreamManager,
  RetentionPolicy,
  StorageType,
} from '@nats-io/jetstream';
import { type NatsConnection, nanos } from '@nats-io/transport-node';
import { type AppendResult, type EventLog, EventLogUnavailableError } from '../../ports/event-log.js';
import type { StoredEvent } from '../../ports/stored-event.js';
import { decodeEventMessage, encodeEventMessages } from './event-message.js';

export interface EventStreamSettings {
  /** Stream name; subjects are `<name lower-cased>.events.<environment id>`. */
  stream: string;
  /** How long the stream remembers event ids for de-duplication. */
  duplicateWindowMs: number;
  /** Publish acknowledgement timeout. */
  publishTimeoutMs: number;
}

export const DEFAULT_EVENT_STREAM: EventStreamSettings = {
  stream: 'CLEAVE_EVENTS',
  duplicateWindowMs: 2 * 60 * 60 * 1000,
  publishTimeoutMs: 5_000,
};

const WRITER = 'cleave-event-writer';

/** Below NATS's default 1 MiB max_payload, with room for headers. */
const MAX_MESSAGE_BYTES = 900 * 1024;

function subjectPrefix(settings: EventStreamSettings): string {
  return `${settings.stream.toLowerCase()}.events`;
}

/** Events the store refused as data: kept (file storage, no limits) for someone to look at. */
export function deadLetterStream(settings: EventStreamSettings): { name: string; subject: string } {
  return { name: `${settings.stream}_DEAD_LETTER`, subject: `${settings.stream.toLowerCase()}.dead-letter` };
}

/** Creates the stream and the writer's durable consumer if missing (idempotent). */
export async function ensureEventStream(
  connection: NatsConnection,
  settings: EventStreamSettings,
): Promise<void> {
  const manager = await jetstreamManager(connection);
  const config = {
    name: settings.stream,
    subjects: [`${subjectPrefix(settings)}.>`],
    storage: StorageType.File,
    // Work-queue retention: a message is removed once the writer acknowledged it.
    retention: RetentionPolicy.Workqueue,
    duplicate_window: nanos(settings.duplicateWindowMs),
  };
  try {
    await manager.streams.info(settings.stream);
    await manager.streams.update(settings.stream, { duplicate_window: config.duplicate_window });
  } catch {
    await manager.streams.add(config);
  }
  const deadLetters = deadLetterStream(settings);
  try {
    await manager.streams.info(deadLetters.name);
  } catch {
    await manager.streams.add({
      name: deadLetters.name,
      subjects: [deadLetters.subject],
      storage: StorageType.File,
      retention: RetentionPolicy.Limits,
    });
  }
  // After a writer dies, its unacknowledged batch is redelivered once ack_wait passes: short enough
  // to recover quickly, long enough for one COPY batch to commit.
  const ackWait = nanos(10_000);
  try {
    await manager.consumers.info(settings.stream, WRITER);
    await manager.consumers.update(settings.stream, WRITER, { ack_wait: ackWait, max_ack_pending: 50_000 });
  } catch {
    await manager.consumers.add(settings.stream, {
      durable_name: WRITER,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ack_wait: ackWait,
      max_ack_pending: 50_000,
    });
  }
}

interface PendingAppend {
  events: readonly StoredEvent[];
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
      this.pending.push({ events, resolve, reject });
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
      const acks = await Promise.all(
        messages.map(({ events: chunk, data, id }) =>
          this.client.publish(`${prefix}.${chunk[0]?.environmentId ?? 'none'}`, data, {
            msgID: id,
            timeout: this.settings.publishTimeoutMs,
          }),
        ),
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

export interface EventBatch {
  events: StoredEvent[];
  /** Acknowledge after the events are committed; they are then gone from the log. */
  ack(): void;
  /** Give them back for redelivery (e.g. the database is down). */
  retry(delayMs: number): void;
  /** Restart the redelivery timer (`ack_wait`) of every message: the writer is still on them. */
  inProgress(): void;
}

/** How long the writer lingers for more messages once it has one: batching without added latency. */
const LINGER_MS = 5;

/** Messages the client pulls ahead of the writer (each ≤ MAX_MESSAGE_BYTES). */
const PULL_AHEAD_MESSAGES = 32;

const TIMED_OUT = Symbol('timed out');

/**
 * The writer's side of the log: batches of events from the durable consumer. Messages stream in
 * continuously (pulled ahead in the background); a batch is whatever is there now, up to a size,
 * so a commit neither waits for a full batch at low rates nor runs tiny ones at high rates.
 */
export class JetStreamEventConsumer {
  private messages: ConsumerMessages | undefined;
  private iterator: AsyncIterator<JsMsg> | undefined;
  /** A read that lost a race against a timeout; the next read takes its result. */
  private unfinishedRead: Promise<IteratorResult<JsMsg>> | undefined;

  private constructor(
    private readonly consumer: Consumer,
    private readonly client: JetStreamClient,
    private readonly settings: EventStreamSettings,
  ) {}

  static async open(
    connection: NatsConnection,
    settings: EventStreamSettings,
  ): Promise<JetStreamEventConsumer> {
    await ensureEventStream(connection, settings);
    const client = jetstream(connection, { timeout: settings.publishTimeoutMs });
    return new JetStreamEventConsumer(await client.consumers.get(settings.stream, WRITER), client, settings);
  }

  /**
   * Publishes the events to the dead-letter stream, with why and when, and resolves once the
   * stream has them: `{ "reason", "failedAt", "message": <the v3 envelope of the events> }`.
   */
  async deadLetter(events: readonly StoredEvent[], reason: string): Promise<void> {
    const { subject } = deadLetterStream(this.settings);
    const failedAt = new Date().toISOString();
    for (const { data } of encodeEventMessages(events, MAX_MESSAGE_BYTES - 4_096)) {
      await this.client.publish(
        subject,
        `{"reason":${JSON.stringify(reason.slice(0, 2_000))},"failedAt":"${failedAt}","message":${data}}`,
      );
    }
  }

  /** The events of up to `maxMessages` messages; resolves with none after `waitMs` of nothing. */
  async next(maxMessages: number, waitMs: number): Promise<EventBatch> {
    const messages: JsMsg[] = [];
    const first = await this.take(waitMs);
    if (first) messages.push(first);
    while (first && messages.length < maxMessages) {
      const more = await this.take(LINGER_MS);
      if (!more) break;
      messages.push(more);
    }
    const events: StoredEvent[] = [];
    const readable: JsMsg[] = [];
    for (const message of messages) {
      try {
        events.push(...decodeEventMessage(message.json()));
        readable.push(message);
      } catch {
        // Not ours to interpret: terminate (drop) it rather than redeliver it forever.
        message.term();
      }
    }
    return {
      events,
      ack: () => {
        for (const message of readable) message.ack();
      },
      retry: (delayMs) => {
        for (const message of readable) message.nak(delayMs);
      },
      inProgress: () => {
        for (const message of readable) message.working();
      },
    };
  }

  private async take(timeoutMs: number): Promise<JsMsg | undefined> {
    if (!this.iterator) {
      this.messages = await this.consumer.consume({ max_messages: PULL_AHEAD_MESSAGES });
      this.iterator = this.messages[Symbol.asyncIterator]();
    }
    this.unfinishedRead ??= this.iterator.next();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
      timer = setTimeout(() => resolve(TIMED_OUT), timeoutMs);
    });
    const result = await Promise.race([this.unfinishedRead, timeout]);
    clearTimeout(timer);
    if (result === TIMED_OUT) return undefined;
    this.unfinishedRead = undefined;
    if (result.done) {
      // The subscription ended (connection closed): start a new one on the next read.
      this.iterator = undefined;
      this.messages = undefined;
      return undefined;
    }
    return result.value;
  }

  /** Stops pulling; messages pulled but not acknowledged are redelivered after ack_wait. */
  async close(): Promise<void> {
    await this.messages?.close();
  }

  /** Messages waiting for the writer: the writer's lag. */
  async pending(): Promise<number> {
    const info = await this.consumer.info(false);
    return info.num_pending + info.num_ack_pending;
  }
}
