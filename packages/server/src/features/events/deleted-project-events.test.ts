import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { jetstreamManager } from '@nats-io/jetstream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventStoreFor } from '../../adapters/event-store-for.js';
import { connectNats, type NatsLink } from '../../adapters/nats/connect.js';
import { JetStreamEventConsumer } from '../../adapters/nats/event-consumer.js';
import { JetStreamEventLog } from '../../adapters/nats/event-log.js';
import {
  DEFAULT_EVENT_STREAM,
  deadLetterStream,
  ensureEventStream,
} from '../../adapters/nats/event-stream.js';
import type { PostgresDatabase } from '../../adapters/postgres/connect.js';
import { KyselyEventStore } from '../../adapters/sql/kysely-event-store.js';
import { createTelemetry } from '../../runtime/telemetry.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../test-support/databases.js';
import { TEST_NATS_URL } from '../../test-support/services.js';
import { storedEvent } from '../../test-support/stored-event.js';
import { type Credentials, createTestApp, type TestApp } from '../../test-support/test-app.js';
import { EventWriter } from './event-writer.js';

/**
 * Events still in the log when their project is deleted must not be written after the deletion:
 * nothing would ever delete them again. The store leaves them out in the insert's transaction, and
 * a deletion sweeps the project's events again once its row is gone.
 */

const NOW = new Date().toISOString();

async function insertProject(database: TestDatabase, id: string): Promise<void> {
  await database.database.db
    .insertInto('projects')
    .values({ id, key: id, name: id, description: '', created_at: NOW, updated_at: NOW, version: 1 })
    .execute();
}

describe.each(DIALECTS)('storing a batch from the log on %s', (dialect) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase(dialect);
    await insertProject(test, 'p-live');
    await insertProject(test, 'p-doomed');
  });
  afterAll(async () => {
    await test?.destroy();
  });

  // The dialect's own store, and the plain Kysely one (PostgreSQL's fallback when COPY is not there).
  const stores = [
    ['dialect', () => eventStoreFor(test.database)],
    [
      'kysely',
      () => new KyselyEventStore(test.database.db, { lockProjects: test.database.dialect === 'postgres' }),
    ],
  ] as const;

  it.each(stores)(
    'stores the events of existing projects and leaves out those of deleted ones (%s store)',
    async (name, create) => {
      const store = create();
      const live = Array.from({ length: 3 }, () =>
        storedEvent({ projectId: 'p-live', environmentId: `e-live-${name}` }),
      );
      const gone = Array.from({ length: 2 }, () =>
        storedEvent({ projectId: 'p-gone', environmentId: `e-gone-${name}` }),
      );
      // Interleaved, as a log message may hold both.
      const outcome = await store.insertForExistingProjects([...gone.slice(0, 1), ...live, ...gone.slice(1)]);
      expect(outcome).toEqual({ inserted: 3, dropped: 2, deletedProjects: ['p-gone'] });
      expect(await store.count({ environmentId: `e-live-${name}` })).toBe(3);
      expect(await store.count({ environmentId: `e-gone-${name}` })).toBe(0);
      // Redelivered: nothing new, nothing of the deleted project.
      expect(await store.insertForExistingProjects([...live, ...gone])).toEqual({
        inserted: 0,
        dropped: 2,
        deletedProjects: ['p-gone'],
      });
    },
  );

  it.runIf(dialect === 'postgres')(
    'waits for a project deletion in progress, then leaves its events out',
    async () => {
      const store = eventStoreFor(test.database);
      const client = await (test.database as PostgresDatabase).pool.connect();
      try {
        await client.query('begin');
        await client.query(`delete from projects where id = 'p-doomed'`);
        let settled = false;
        const writing = store
          .insertForExistingProjects([storedEvent({ projectId: 'p-doomed', environmentId: 'e-doomed' })])
          .finally(() => {
            settled = true;
          });
        // Without the lock the insert would read the row the deletion has not committed yet.
        await new Promise((resolve) => setTimeout(resolve, 500));
        expect(settled).toBe(false);
        await client.query('commit');
        expect(await writing).toEqual({ inserted: 0, dropped: 1, deletedProjects: ['p-doomed'] });
        expect(await store.count({ environmentId: 'e-doomed' })).toBe(0);
      } finally {
        await client.query('rollback').catch(() => {});
        client.release();
      }
    },
  );
});

describe('deleting a project while the writer commits its events (PostgreSQL)', () => {
  let test: TestApp;
  let owner: Credentials;
  beforeAll(async () => {
    test = await createTestApp('postgres');
    owner = await test.signUpOwner();
  });
  afterAll(async () => {
    await test?.close();
  });

  it('removes what a writer transaction in flight stored, once it commits', async () => {
    const project = (
      await test.request(
        { method: 'POST', url: '/api/v1/projects', payload: { key: 'late', name: 'Late' } },
        owner,
      )
    ).json();
    const environmentId: string = project.environments[0].id;
    const event = storedEvent({ projectId: project.id, environmentId, occurredAt: NOW, receivedAt: NOW });
    // The day's partition, made as the writer would before its transaction.
    await eventStoreFor(test.database.database).insertBatches([[{ ...event, eventId: randomUUID() }]]);

    // A writer mid-commit, as insertForExistingProjects leaves it: the project read and locked, its
    // event inserted, the transaction still open.
    const client = await (test.database.database as PostgresDatabase).pool.connect();
    try {
      await client.query('begin');
      await client.query('select id from projects where id = $1 for key share', [project.id]);
      await client.query(
        `insert into events (event_id, project_id, environment_id, type, unit_id, event_name, occurred_at, received_at)
         values ($1, $2, $3, 'track', 'u-1', 'purchase', $4, $4)`,
        [event.eventId, project.id, environmentId, NOW],
      );
      const deleting = test.request(
        { method: 'DELETE', url: '/api/v1/projects/late', payload: { version: 1 } },
        owner,
      );
      // The deletion swept the events committed so far and now waits on the writer's lock.
      await new Promise((resolve) => setTimeout(resolve, 500));
      await client.query('commit');
      expect((await deleting).statusCode).toBe(204);
    } finally {
      await client.query('rollback').catch(() => {});
      client.release();
    }
    expect(await test.eventStore.count({ environmentId })).toBe(0);
  });
});

describe('the writer and events of a project deleted while they were in NATS (real NATS and PostgreSQL)', () => {
  let nats: NatsLink;
  let test: TestApp;
  let owner: Credentials;
  const settings = {
    ...DEFAULT_EVENT_STREAM,
    stream: `TEST_EVENTS_${randomUUID().replaceAll('-', '').slice(0, 12).toUpperCase()}`,
  };

  beforeAll(async () => {
    nats = await connectNats(TEST_NATS_URL);
    await ensureEventStream(nats.connection, settings);
    test = await createTestApp('postgres', { eventLog: new JetStreamEventLog(nats.connection, settings) });
    owner = await test.signUpOwner();
  });
  afterAll(async () => {
    await test?.close();
    const manager = await jetstreamManager(nats.connection);
    await manager.streams.delete(settings.stream).catch(() => {});
    await manager.streams.delete(deadLetterStream(settings).name).catch(() => {});
    await nats?.close();
  });

  it('acknowledges and counts them, logs once per batch, and stores the other projects’ events', async () => {
    const environmentOf = async (key: string) => {
      const created = await test.request(
        { method: 'POST', url: '/api/v1/projects', payload: { key, name: key } },
        owner,
      );
      expect(created.statusCode, created.body).toBe(201);
      return created
        .json()
        .environments.find((environment: { key: string }) => environment.key === 'production').id as string;
    };
    const doomedEnvironment = await environmentOf('doomed');
    const keptEnvironment = await environmentOf('kept');
    const doomedKey = await test.environmentKey(owner, { project: 'doomed' });
    const keptKey = await test.environmentKey(owner, { project: 'kept' });
    const send = async (as: Credentials) => {
      const events = Array.from({ length: 5 }, () => ({
        id: randomUUID(),
        type: 'track',
        unitId: 'u-1',
        event: 'purchase',
        timestamp: new Date().toISOString(),
      }));
      const response = await test.request({ method: 'POST', url: '/api/v1/events', payload: { events } }, as);
      expect(response.statusCode, response.body).toBe(202);
    };
    // Accepted into NATS, and no writer running yet: the events wait in the log.
    for (const as of [doomedKey, keptKey, doomedKey, doomedKey]) await send(as);
    const deleted = await test.request(
      { method: 'DELETE', url: '/api/v1/projects/doomed', payload: { version: 1 } },
      owner,
    );
    expect(deleted.statusCode, deleted.body).toBe(204);

    const lines: Array<{ msg: string; dropped?: number; projects?: string[] }> = [];
    const logger = pino(
      { level: 'warn' },
      new Writable({
        write(chunk, _encoding, done) {
          lines.push(JSON.parse(String(chunk)));
          done();
        },
      }),
    );
    const telemetry = createTelemetry({ processMetrics: false });
    const store = eventStoreFor(test.database.database);
    const consumer = await JetStreamEventConsumer.open(nats.connection, settings);
    const writer = new EventWriter({
      source: consumer,
      store,
      existingProjectsOnly: store,
      logger,
      telemetry,
      waitMs: 200,
      retryDelayMs: 100,
    });
    writer.start();
    try {
      const deadline = Date.now() + 15_000;
      while (
        ((await consumer.pending()) > 0 || (await store.count({ environmentId: keptEnvironment })) < 5) &&
        Date.now() < deadline
      )
        await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      await writer.stop();
    }
    expect(await consumer.pending()).toBe(0);
    expect(await store.count({ environmentId: keptEnvironment })).toBe(5);
    expect(await store.count({ environmentId: doomedEnvironment })).toBe(0);
    expect((await telemetry.writerDroppedDeletedProject.get()).values[0]?.value).toBe(15);
    expect((await telemetry.writerRows.get()).values[0]?.value).toBe(5);
    const drops = lines.filter((line) => line.msg.startsWith('dropped events of deleted projects'));
    // One line per batch, not per event: three messages held them, so at most three lines.
    expect(drops.length).toBeGreaterThanOrEqual(1);
    expect(drops.length).toBeLessThanOrEqual(3);
    expect(drops.reduce((sum, line) => sum + (line.dropped ?? 0), 0)).toBe(15);
    expect(new Set(drops.flatMap((line) => line.projects ?? [])).size).toBe(1);
  });
});
