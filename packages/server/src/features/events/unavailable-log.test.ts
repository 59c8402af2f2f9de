import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { Scheduler } from '../../adapters/memory/scheduler.js';
import { connectNats, type NatsLink } from '../../adapters/nats/connect.js';
import { JetStreamEventLog } from '../../adapters/nats/event-log.js';
import { DEFAULT_EVENT_STREAM } from '../../adapters/nats/event-stream.js';
import { GroupCommitEventLog } from '../../adapters/sql/group-commit-event-log.js';
import type { EventLog } from '../../ports/event-log.js';
import { TEST_NATS_URL } from '../../test-support/services.js';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import { RetentionJob } from './retention-job.js';

const track = () => ({
  id: randomUUID(),
  type: 'track',
  unitId: 'u',
  event: 'purchase',
  timestamp: new Date().toISOString(),
});

async function appWithKey(
  eventLog?: EventLog,
): Promise<{ test: TestApp; sdk: { headers: Record<string, string> } }> {
  const test = await createTestApp('sqlite', eventLog ? { eventLog } : {});
  const owner = await test.signUpOwner();
  await test.createProject(owner);
  return { test, sdk: await test.environmentKey(owner, { kind: 'sdk' }) };
}

describe('when events cannot be made durable', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup();
  });

  it('answers 503 with Retry-After, never 202, when JetStream does not acknowledge', async () => {
    const nats: NatsLink = await connectNats(TEST_NATS_URL);
    cleanups.push(() => nats.close());
    const log = new JetStreamEventLog(nats.connection, {
      ...DEFAULT_EVENT_STREAM,
      stream: 'NO_SUCH_STREAM',
      publishTimeoutMs: 500,
    });
    const { test, sdk } = await appWithKey(log);
    cleanups.push(() => test.close());
    const response = await test.request(
      { method: 'POST', url: '/api/v1/events', payload: { events: [track()] } },
      sdk,
    );
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('5');
    expect(response.json().error.code).toBe('service_unavailable');
  });

  it('answers 503 when the embedded store cannot commit', async () => {
    const { test, sdk } = await appWithKey();
    cleanups.push(() => test.close());
    const broken = new GroupCommitEventLog({
      insertBatches: () => Promise.reject(new Error('disk full')),
      dropBefore: () => Promise.resolve(0),
      count: () => Promise.resolve(0),
      deleteProject: () => Promise.resolve(0),
      isDataRejection: () => false,
    });
    const { test: brokenApp, sdk: brokenKey } = await appWithKey(broken);
    cleanups.push(() => brokenApp.close());
    const response = await brokenApp.request(
      { method: 'POST', url: '/api/v1/events', payload: { events: [track()] } },
      brokenKey,
    );
    expect(response.statusCode).toBe(503);
    // The healthy app still accepts: the failure was the store's, not the request's.
    expect(
      (await test.request({ method: 'POST', url: '/api/v1/events', payload: { events: [track()] } }, sdk))
        .statusCode,
    ).toBe(202);
  });
});

describe('RetentionJob', () => {
  it('drops what is older than the retention period', async () => {
    const cutoffs: Date[] = [];
    const job = new RetentionJob(
      {
        insertBatches: async () => [],
        dropBefore: async (cutoff) => {
          cutoffs.push(cutoff);
          return 3;
        },
        count: async () => 0,
        deleteProject: async () => 0,
        isDataRejection: () => false,
      },
      30,
      pino({ level: 'silent' }),
      () => new Date('2026-11-25T10:00:00.000Z'),
    );
    expect(await job.apply()).toBe(3);
    expect(cutoffs).toEqual([new Date('2026-10-26T10:00:00.000Z')]);
  });

  it('has the analysis forget per-unit facts built from the dropped events, only when some were dropped', async () => {
    const forgotten: Date[] = [];
    let dropped = 2;
    const job = new RetentionJob(
      {
        insertBatches: async () => [],
        dropBefore: async () => dropped,
        count: async () => 0,
        isDataRejection: () => false,
        deleteProject: async () => 0,
      },
      30,
      pino({ level: 'silent' }),
      () => new Date('2026-11-25T10:00:00.000Z'),
      [{ forgetEventsBefore: async (cutoff) => forgotten.push(cutoff) }],
    );
    await job.apply();
    dropped = 0;
    await job.apply();
    expect(forgotten).toEqual([new Date('2026-10-26T10:00:00.000Z')]);
  });
});

describe('Scheduler', () => {
  it('runs a job at once and on its interval, survives failures, and waits for runs on stop', async () => {
    const scheduler = new Scheduler(pino({ level: 'silent' }));
    let runs = 0;
    let failures = 0;
    scheduler.start({
      name: 'counting',
      everyMs: 20,
      run: async () => {
        runs += 1;
      },
    });
    scheduler.start({
      name: 'failing',
      everyMs: 20,
      run: async () => {
        failures += 1;
        throw new Error('boom');
      },
    });
    await new Promise((resolve) => setTimeout(resolve, 110));
    await scheduler.stop();
    const stoppedAt = runs;
    expect(runs).toBeGreaterThanOrEqual(3);
    expect(failures).toBeGreaterThanOrEqual(3);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(runs).toBe(stoppedAt);
  });
});
