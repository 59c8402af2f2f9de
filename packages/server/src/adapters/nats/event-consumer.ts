/**
 * @module adapters/nats/event-consumer
 * The writer's side of the event log: batches of events from the durable consumer, acknowledged
 * only after the database commit (a crash redelivers instead of losing; the store de-duplicates).
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
import {
  deadLetterStream,
  type EventStreamSettings,
  ensureEventStream,
  MAX_MESSAGE_BYTES,
  WRITER,
} from './event-stream.js';

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
