/**
 * @module adapters/nats/event-log
 * The production event log on NATS JetStream.
 *
 * - Publishing: one message per event with `Nats-Msg-Id` = event id, so the stream drops a retried
 *   event inside its duplicate window; `append` resolves only when every message is acknowledged
 *   by the stream (stored on disk, replicated when the stream is), never before.
 * - Consuming: a durable pull consumer with explicit acks; the writer acknowledges a batch only
 *   after the database commit, so a crash redelivers instead of losing (the store dedupes).
 */
import {
  AckPolicy,
  type Consumer,
  DeliverPolicy,
  type JetStreamClient,
  type JsMsg,
  jetstream,
  jetstreamManager,
  RetentionPolicy,
  StorageType,
} from '@nats-io/jetstream';
import { type NatsConnection, nanos } from '@nats-io/transport-node';
import type { StoredEvent } from '../../features/events/event.js';
import {
  type AppendResult,
  type EventLog,
  EventLogUnavailableError,
} from '../../features/events/event-log.js';

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

function subjectPrefix(settings: EventStreamSettings): string {
  return `${settings.stream.toLowerCase()}.events`;
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

export class JetStreamEventLog implements EventLog {
  private readonly client: JetStreamClient;

  constructor(
    connection: NatsConnection,
    private readonly settings: EventStreamSettings,
  ) {
    this.client = jetstream(connection, { timeout: settings.publishTimeoutMs });
  }

  async append(events: readonly StoredEvent[]): Promise<AppendResult> {
    const prefix = subjectPrefix(this.settings);
    try {
      const acks = await Promise.all(
        events.map((event) =>
          this.client.publish(`${prefix}.${event.environmentId}`, JSON.stringify(event), {
            msgID: `${event.eventId}:${event.occurredAt}`,
            timeout: this.settings.publishTimeoutMs,
          }),
        ),
      );
      return { duplicates: acks.filter((ack) => ack.duplicate).length };
    } catch (error) {
      throw new EventLogUnavailableError(
        `The event log did not acknowledge: ${error instanceof Error ? error.message : String(error)}`,
      );
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
}

/** The writer's side of the log: batches of events from the durable consumer. */
export class JetStreamEventConsumer {
  private constructor(private readonly consumer: Consumer) {}

  static async open(
    connection: NatsConnection,
    settings: EventStreamSettings,
  ): Promise<JetStreamEventConsumer> {
    await ensureEventStream(connection, settings);
    return new JetStreamEventConsumer(await jetstream(connection).consumers.get(settings.stream, WRITER));
  }

  /** Up to `max` events, waiting at most `waitMs` for the first. */
  async next(max: number, waitMs: number): Promise<EventBatch> {
    const messages: JsMsg[] = [];
    const iterator = await this.consumer.fetch({ max_messages: max, expires: Math.max(waitMs, 1_000) });
    for await (const message of iterator) messages.push(message);
    const events: StoredEvent[] = [];
    for (const message of messages) {
      try {
        events.push(message.json<StoredEvent>());
      } catch {
        // Not ours to interpret: acknowledge (drop) rather than redeliver forever.
        message.term();
      }
    }
    return {
      events,
      ack: () => {
        for (const message of messages) message.ack();
      },
      retry: (delayMs) => {
        for (const message of messages) message.nak(delayMs);
      },
    };
  }

  /** Messages waiting for the writer: the writer's lag. */
  async pending(): Promise<number> {
    const info = await this.consumer.info(false);
    return info.num_pending + info.num_ack_pending;
  }
}
