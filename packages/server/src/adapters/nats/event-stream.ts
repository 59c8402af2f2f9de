/**
 * @module adapters/nats/event-stream
 * The JetStream streams behind the event log: the events stream (file storage, de-duplication
 * window, the writer's durable consumer) and its dead-letter stream, created idempotently.
 */
import { AckPolicy, DeliverPolicy, jetstreamManager, RetentionPolicy, StorageType } from '@nats-io/jetstream';
import { type NatsConnection, nanos } from '@nats-io/transport-node';

export interface EventStreamSettings {
  /** Stream name; subjects are `<name lower-cased>.events.<environment id>`. */
  stream: string;
  /** How long the stream remembers event ids for de-duplication. */
  duplicateWindowMs: number;
  /** Publish acknowledgement timeout. */
  publishTimeoutMs: number;
  /**
   * Copies the cluster keeps of the stream (and of the dead-letter stream). With 3, losing one node
   * loses nothing and publishing goes on; with a majority down, publishes time out (the API then
   * answers 503) instead of being acknowledged without copies.
   */
  replicas: number;
}

export const DEFAULT_EVENT_STREAM: EventStreamSettings = {
  stream: 'CLEAVE_EVENTS',
  duplicateWindowMs: 2 * 60 * 60 * 1000,
  publishTimeoutMs: 5_000,
  replicas: 1,
};

export const WRITER = 'cleave-event-writer';

/** Below NATS's default 1 MiB max_payload, with room for headers. */
export const MAX_MESSAGE_BYTES = 900 * 1024;

export function subjectPrefix(settings: EventStreamSettings): string {
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
    num_replicas: settings.replicas,
  };
  try {
    await manager.streams.info(settings.stream);
    await manager.streams.update(settings.stream, {
      duplicate_window: config.duplicate_window,
      num_replicas: settings.replicas,
    });
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
      num_replicas: settings.replicas,
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
