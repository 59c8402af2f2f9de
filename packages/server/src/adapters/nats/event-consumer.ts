/**
 * @module adapters/nats/event-consumer
 * The writer's side of the event log: batches of events from the durable consumer, acknowledged
 * only after the database commit (a crash redelivers instead of losing; the store de-duplicates).
 */
import {
  type Consumer,
  type ConsumerMessages,
  type JetStreamClient,
  type JsMsg,
  jetstream,
} from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { StoredEvent } from '../../ports/stored-event.js';
import type { TraceCarrier } from '../../runtime/trace-context.js';
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
  /** The trace context each message carried (`traceparent`), when the API was tracing. */
  traces: TraceCarrier[];
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
 * How long the writer may receive nothing before it asks the server whether messages are waiting.
 * When the node serving its subscription dies, the client can be left with no pull request
 * outstanding and messages piling up in the stream: the subscription is then started anew.
 */
const STALL_CHECK_MS = 3_000;

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
  private lastMessageAt = Date.now();
  private lastStallCheckAt = 0;

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
    const traces: TraceCarrier[] = [];
    for (const message of messages) {
      try {
        events.push(...decodeEventMessage(message.json()));
        readable.push(message);
        const traceparent = message.headers?.get('traceparent');
        if (traceparent) {
          const tracestate = message.headers?.get('tracestate');
          traces.push(tracestate ? { traceparent, tracestate } : { traceparent });
        }
      } catch {
        // Not ours to interpret: terminate (drop) it rather than redeliver it forever.
        message.term();
      }
    }
    return {
      events,
      traces,
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
    if (result === TIMED_OUT) {
      await this.restartIfStalled();
      return undefined;
    }
    this.unfinishedRead = undefined;
    this.lastMessageAt = Date.now();
    if (result.done) {
      // The subscription ended (connection closed): start a new one on the next read.
      this.iterator = undefined;
      this.messages = undefined;
      return undefined;
    }
    return result.value;
  }

  /** Stops pulling; messages pulled but not acknowledged are redelivered after ack_wait. */
  /** Messages wait in the stream but no pull request is outstanding: subscribe again. */
  private async restartIfStalled(): Promise<void> {
    const now = Date.now();
    if (now - this.lastMessageAt < STALL_CHECK_MS || now - this.lastStallCheckAt < STALL_CHECK_MS) return;
    this.lastStallCheckAt = now;
    const info = await this.consumer.info(false).catch(() => undefined);
    if (!info || info.num_pending === 0 || info.num_waiting > 0) return;
    // The old subscription is abandoned, not closed: closing waits for a server that may be gone.
    // Messages it had delivered but not handed out are redelivered after ack_wait.
    this.messages?.stop();
    this.messages = undefined;
    this.iterator = undefined;
    this.unfinishedRead = undefined;
  }

  /**
   * Stops reading. The client finishes closing only while someone reads the iterator (the stop is
   * queued behind buffered messages), so the iterator is read to its end here; messages still
   * buffered are not acknowledged and come back to the next writer after `ack_wait`.
   */
  async close(): Promise<void> {
    const { messages, iterator } = this;
    if (!messages || !iterator) return;
    const closed = messages.close();
    let read = this.unfinishedRead ?? iterator.next();
    this.unfinishedRead = undefined;
    while (!(await read).done) read = iterator.next();
    await closed;
    this.messages = undefined;
    this.iterator = undefined;
  }

  /** Messages waiting for the writer: the writer's lag. */
  async pending(): Promise<number> {
    const info = await this.consumer.info(false);
    return info.num_pending + info.num_ack_pending;
  }
}
