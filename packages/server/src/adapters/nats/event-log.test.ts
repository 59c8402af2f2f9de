import { randomUUID } from 'node:crypto';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EventWriter } from '../../features/events/event-writer.js';
import { EventLogUnavailableError } from '../../ports/event-log.js';
import type { EventStore } from '../../ports/event-store.js';
import type { StoredEvent } from '../../ports/stored-event.js';
import { createTelemetry } from '../../runtime/telemetry.js';
import { createTestDatabase, type TestDatabase } from '../../test-support/databases.js';
import { TEST_NATS_URL } from '../../test-support/services.js';
import { storedEvent } from '../../test-support/stored-event.js';
import { eventStoreFor } from '../event-store-for.js';
import { connectNats, type NatsLink } from './connect.js';
import { JetStreamEventConsumer } from './event-consumer.js';
import { JetStreamEventLog } from './event-log.js';
import { batchId, decodeEventMessage, encodeEventMessages } from './event-message.js';
import { DEFAULT_EVENT_STREAM, deadLetterStream, ensureEventStream } from './event-stream.js';

/** Events of one ingestion request share the time they were received, as the API sets it. */
const RECEIVED_AT = new Date().toISOString();

function event(overrides: Partial<StoredEvent> = {}): StoredEvent {
  return storedEvent({
    value: 1,
    occurredAt: new Date().toISOString(),
    receivedAt: RECEIVED_AT,
    ...overrides,
  });
}

describe('JetStream event log and the writer (real NATS and PostgreSQL)', () => {
  let nats: NatsLink;
  let database: TestDatabase;
  const settings = {
    ...DEFAULT_EVENT_STREAM,
    stream: `TEST_EVENTS_${randomUUID().replaceAll('-', '').slice(0, 12).toUpperCase()}`,
  };

  beforeAll(async () => {
    nats = await connectNats(TEST_NATS_URL);
    database = await createTestDatabase('postgres');
    await ensureEventStream(nats.connection, settings);
  });
  afterAll(async () => {
    const manager = await jetstreamManager(nats.connection);
    await manager.streams.delete(settings.stream).catch(() => {});
    await manager.streams.delete(deadLetterStream(settings).name).catch(() => {});
    await nats?.close();
    await database?.destroy();
  });

  it('creates the stream idempotently, with file storage and de-duplication', async () => {
    await ensureEventStream(nats.connection, settings);
    const manager = await jetstreamManager(nats.connection);
    const info = await manager.streams.info(settings.stream);
    expect(info.config.storage).toBe('file');
    expect(info.config.retention).toBe('workqueue');
    expect(info.config.duplicate_window).toBe(settings.duplicateWindowMs * 1_000_000);
  });

  /** A writer on the real stream and database (the store may be wrapped to inject failures). */
  async function startWriter(options: Partial<ConstructorParameters<typeof EventWriter>[0]> = {}): Promise<{
    store: EventStore;
    consumer: JetStreamEventConsumer;
    telemetry: ReturnType<typeof createTelemetry>;
    writer: EventWriter;
  }> {
    const store = eventStoreFor(database.database);
    const consumer = await JetStreamEventConsumer.open(nats.connection, settings);
    const telemetry = createTelemetry({ processMetrics: false });
    const writer = new EventWriter({
      source: consumer,
      store,
      logger: pino({ level: 'silent' }),
      telemetry,
      waitMs: 200,
      retryDelayMs: 100,
      ...options,
    });
    writer.start();
    return { store, consumer, telemetry, writer };
  }

  it('acknowledges appends, recognises a re-sent batch, and the writer commits each event exactly once', async () => {
    const log = new JetStreamEventLog(nats.connection, settings);
    const events = Array.from({ length: 250 }, () => event());
    expect(await log.append(events)).toEqual({ duplicates: 0 });
    // The same batch again (an SDK retry sends it unchanged): recognised at once.
    expect(
      await log.append(events.map((entry) => ({ ...entry, receivedAt: new Date().toISOString() }))),
    ).toEqual({
      duplicates: 250,
    });
    // Some of its events in another batch, or in another order: not recognised by the log, stored
    // once by the store.
    expect(await log.append(events.slice(0, 50))).toEqual({ duplicates: 0 });
    expect(await log.append(events.slice(100, 150).reverse())).toEqual({ duplicates: 0 });

    const { store, consumer, telemetry, writer } = await startWriter({ maxMessagesPerCommit: 1 });
    const deadline = Date.now() + 15_000;
    while ((await store.count()) < 250 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    await writer.stop();
    expect(await store.count()).toBe(250);
    // Acks are asynchronous: the log empties right after the commit, not necessarily before stop().
    const emptyBy = Date.now() + 5_000;
    while ((await consumer.pending()) > 0 && Date.now() < emptyBy)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await consumer.pending()).toBe(0);
    // 300 events went through the log; 50 were already stored and were not counted twice.
    expect((await telemetry.writerRows.get()).values[0]?.value).toBe(250);
  });

  it('redelivers a batch the store could not commit, and the store keeps it idempotent', async () => {
    const log = new JetStreamEventLog(nats.connection, settings);
    const events = Array.from({ length: 20 }, () => event({ environmentId: 'e-retry' }));
    await log.append(events);
    const store = eventStoreFor(database.database);
    let failures = 1;
    const flaky = {
      ...store,
      insertBatches: async (batches: readonly (readonly StoredEvent[])[]) => {
        if (failures-- > 0) throw new Error('database briefly unavailable');
        return store.insertBatches(batches);
      },
      dropBefore: store.dropBefore.bind(store),
      count: store.count.bind(store),
      isDataRejection: store.isDataRejection.bind(store),
    };
    const consumer = await JetStreamEventConsumer.open(nats.connection, settings);
    const telemetry = createTelemetry({ processMetrics: false });
    const writer = new EventWriter({
      source: consumer,
      store: flaky,
      logger: pino({ level: 'silent' }),
      telemetry,
      waitMs: 200,
      retryDelayMs: 100,
    });
    writer.start();
    const deadline = Date.now() + 15_000;
    while ((await store.count({ environmentId: 'e-retry' })) < 20 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await writer.stop();
    expect(await store.count({ environmentId: 'e-retry' })).toBe(20);
    expect(
      (await telemetry.writerBatches.get()).values.find((value) => value.labels.outcome === 'failed')?.value,
    ).toBe(1);
  });

  it('takes the same ids and times sent to two environments as two sets of events, and stores both', async () => {
    const log = new JetStreamEventLog(nats.connection, settings);
    const ours = Array.from({ length: 10 }, () => event({ projectId: 'p-a', environmentId: 'e-ours' }));
    const theirs = ours.map((entry) => ({ ...entry, projectId: 'p-b', environmentId: 'e-theirs' }));
    expect(await log.append(ours)).toEqual({ duplicates: 0 });
    expect(await log.append(theirs)).toEqual({ duplicates: 0 });
    const { store, writer } = await startWriter();
    await vi.waitFor(
      async () => {
        expect(await store.count({ environmentId: 'e-ours' })).toBe(10);
        expect(await store.count({ environmentId: 'e-theirs' })).toBe(10);
      },
      { timeout: 15_000, interval: 50 },
    );
    await writer.stop();
  });

  it('sets aside events PostgreSQL refuses as data, stores the rest of their batch, and moves on', async () => {
    // Written to the stream directly, as an older or buggy API might have: ingestion refuses NUL.
    const environmentId = 'e-poison';
    const good = Array.from({ length: 9 }, () => event({ environmentId }));
    const poison = event({ environmentId, unitId: 'u\u0000' });
    const client = jetstream(nats.connection);
    const subject = `${settings.stream.toLowerCase()}.events.${environmentId}`;
    for (const { data } of [
      ...encodeEventMessages([...good.slice(0, 4), poison, ...good.slice(4, 6)], 900_000),
      ...encodeEventMessages(good.slice(6), 900_000),
    ]) {
      await client.publish(subject, data);
    }
    const { store, consumer, telemetry, writer } = await startWriter();
    await vi.waitFor(
      async () => {
        expect(await store.count({ environmentId })).toBe(9);
        expect((await telemetry.writerDeadLettered.get()).values[0]?.value).toBe(1);
      },
      { timeout: 15_000, interval: 50 },
    );
    await writer.stop();
    await vi.waitFor(async () => expect(await consumer.pending()).toBe(0), { timeout: 5_000 });

    const manager = await jetstreamManager(nats.connection);
    const deadLetters = deadLetterStream(settings);
    const kept = await manager.streams.getMessage(deadLetters.name, { last_by_subj: deadLetters.subject });
    const letter = kept?.json<{ reason: string; failedAt: string; message: unknown }>();
    expect(letter?.reason).toMatch(/0x00|null character|invalid byte sequence/i);
    expect(decodeEventMessage(letter?.message)).toEqual([poison]);
  });

  it('fails loudly, never silently, when the log cannot take events', async () => {
    const missing = new JetStreamEventLog(nats.connection, {
      ...settings,
      stream: 'NO_SUCH_STREAM_HERE',
      publishTimeoutMs: 1_000,
    });
    await expect(missing.append([event()])).rejects.toBeInstanceOf(EventLogUnavailableError);
  });

  it('splits a batch larger than a NATS message into several, each its own unit of de-duplication', () => {
    const big = Array.from({ length: 30 }, () =>
      event({ properties: JSON.stringify({ blob: 'x'.repeat(1_000), quote: '"' }) }),
    );
    const chunks = encodeEventMessages(big, 10_000);
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.flatMap((chunk) => chunk.events)).toEqual(big);
    for (const chunk of chunks) {
      expect(chunk.data.length).toBeLessThanOrEqual(10_000);
      expect(decodeEventMessage(JSON.parse(chunk.data))).toEqual(chunk.events);
      expect(chunk.id).toBe(batchId(chunk.events));
    }
    expect(batchId(big)).toBe(batchId(big.map((entry) => ({ ...entry }))));
    expect(batchId(big)).not.toBe(batchId(big.slice(1)));
    expect(batchId(big)).not.toBe(batchId([...big].reverse()));
    expect(batchId(big)).not.toBe(batchId(big.map((entry) => ({ ...entry, environmentId: 'e2' }))));
  });

  it('encodes shared fields once, splits where they change, and still reads the older formats', () => {
    const first = event();
    const other = event({ environmentId: 'e2' });
    const messages = encodeEventMessages([first, event(), other], 900_000);
    expect(messages.map((message) => message.events.length)).toEqual([2, 1]);
    expect(JSON.parse(messages[0]?.data ?? '{}')).toMatchObject({
      v: 3,
      p: 'p1',
      e: 'e1',
      rows: [expect.any(Array), expect.any(Array)],
    });
    expect(messages.flatMap((message) => decodeEventMessage(JSON.parse(message.data)))).toEqual([
      first,
      messages[0]?.events[1],
      other,
    ]);
    expect(decodeEventMessage(first)).toEqual([first]);
    expect(decodeEventMessage([first, other])).toEqual([first, other]);
    // v2 (an older API's messages still in the log after an upgrade): properties as a JSON value.
    const v2 = {
      v: 2,
      p: 'p1',
      e: 'e1',
      r: RECEIVED_AT,
      rows: [[first.eventId, 'track', 'u-1', null, null, 'purchase', 1, { plan: 'pro' }, first.occurredAt]],
    };
    expect(decodeEventMessage(v2)).toEqual([{ ...first, properties: '{"plan":"pro"}' }]);
    expect(decodeEventMessage({ ...first, properties: { plan: 'pro' } })).toEqual([
      { ...first, properties: '{"plan":"pro"}' },
    ]);
  });

  it('keeps several requests in one message, each event with its own receive time', () => {
    const first = event();
    const later = event({ receivedAt: '2026-11-25T12:00:00.001Z' });
    const messages = encodeEventMessages([first, later, event()], 900_000);
    expect(messages).toHaveLength(1);
    expect(decodeEventMessage(JSON.parse(messages[0]?.data ?? '{}'))).toEqual(messages[0]?.events);
  });

  it('shares messages between appends of one turn and still reports each its own duplicates', async () => {
    const log = new JetStreamEventLog(nats.connection, settings);
    const a = [event(), event()];
    const b = [event({ receivedAt: '2026-11-25T12:00:00.500Z' })];
    await log.append(a);
    // `a` again alone would be recognised; together with the new `b` in one turn it is not, and
    // b's answer is not polluted by a's.
    const [again, fresh] = await Promise.all([log.append(a), log.append(b)]);
    expect(fresh).toEqual({ duplicates: 0 });
    expect(again.duplicates).toBeLessThanOrEqual(2);
    expect(await log.append(a)).toEqual({ duplicates: 2 });
  });
});
