import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectNats } from '../../adapters/nats/connect.js';
import { type PostgresServer, startPostgresServer } from '../../test-support/postgres-server.js';
import { type ServerProcess, startMain } from '../../test-support/server-process.js';
import { TEST_NATS_URL } from '../../test-support/services.js';

const SDK_KEY = `clv_sdk_${'P'.repeat(40)}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * PostgreSQL crashes (`pg_ctl stop -m immediate`) and comes back while a client sends events
 * steadily to an API node, with a separate writer COPYing them from JetStream: both reconnect, and
 * the store ends up holding exactly the events the API accepted (202), none lost, none twice.
 * (An analysis job interrupted the same way: features/analysis/postgres-restart.fault.test.ts.)
 */
describe('PostgreSQL restart during ingestion (own PostgreSQL, NATS JetStream, real processes)', () => {
  let postgres: PostgresServer;
  let directory: string;
  const stream = `PGFAULT_${randomUUID().replaceAll('-', '').slice(0, 12).toUpperCase()}`;
  let api: ServerProcess | undefined;
  let writer: ServerProcess | undefined;

  beforeAll(async () => {
    postgres = await startPostgresServer();
    directory = mkdtempSync(path.join(tmpdir(), 'cleave-pg-fault-'));
    const env = {
      DATABASE_URL: postgres.url,
      NATS_URL: TEST_NATS_URL,
      CLEAVE_NATS_STREAM: stream,
      CLEAVE_INIT_SDK_KEY: SDK_KEY,
      // Steady load from one address: far above the default budgets.
      CLEAVE_EVENTS_RATE_LIMIT: '100000000',
      CLEAVE_EVENTS_RATE_LIMIT_PER_CLIENT: '100000000',
    };
    api = await startMain({ ...env, CLEAVE_ROLES: 'api' }, directory, 60_000);
    writer = await startMain({ ...env, CLEAVE_ROLES: 'worker' }, directory, 60_000);
  }, 180_000);

  afterAll(async () => {
    await api?.stop('SIGKILL');
    await writer?.stop('SIGKILL');
    const nats = await connectNats(TEST_NATS_URL);
    await (await jetstreamManager(nats.connection)).streams.delete(stream).catch(() => {});
    await nats.close();
    await postgres?.destroy();
    if (directory) rmSync(directory, { recursive: true, force: true });
  }, 60_000);

  it('stores exactly the accepted events after PostgreSQL crashes and restarts mid-stream', async () => {
    const accepted = new Set<string>();
    let sending = true;
    let failures = 0;
    const client = (async () => {
      while (sending) {
        const batch = Array.from({ length: 50 }, (_, index) => ({
          id: randomUUID(),
          type: 'track',
          unitId: `u-${index}`,
          event: 'purchase',
          value: index,
          timestamp: new Date().toISOString(),
        }));
        // Like the SDK: the same batch (same ids) is retried until the API accepts it.
        while (sending || !batch.every((event) => accepted.has(event.id))) {
          try {
            const response = await fetch(`${api?.url}/api/v1/events`, {
              method: 'POST',
              headers: { authorization: `Bearer ${SDK_KEY}`, 'content-type': 'application/json' },
              body: JSON.stringify({ events: batch }),
              signal: AbortSignal.timeout(10_000),
            });
            if (response.status === 202) {
              expect((await response.json()).rejected).toEqual([]);
              for (const event of batch) accepted.add(event.id);
              break;
            }
            await response.body?.cancel();
          } catch {
            // a timeout while the API waits on the database
          }
          failures += 1;
          await sleep(100);
        }
        await sleep(10);
      }
    })();

    await sleep(2_000);
    const beforeCrash = accepted.size;
    await postgres.crash();
    // Longer than the API key cache (5 s): the API node meets the outage too, not only the writer.
    await sleep(7_000);
    await postgres.start();
    await sleep(3_000);
    sending = false;
    await client;

    const database = new pg.Client({ connectionString: postgres.url });
    await database.connect();
    try {
      const count = async () => Number((await database.query('select count(*) as n from events')).rows[0].n);
      const deadline = Date.now() + 60_000;
      while ((await count()) < accepted.size && Date.now() < deadline) await sleep(250);
      const { rows } = await database.query<{ event_id: string }>('select event_id from events');
      const stored = rows.map((row) => row.event_id);
      if (stored.length !== accepted.size) console.info(`writer output:\n${writer?.output().slice(-4_000)}`);
      expect(beforeCrash).toBeGreaterThan(0);
      expect(accepted.size).toBeGreaterThan(beforeCrash);
      expect(new Set(stored).size).toBe(stored.length); // none twice
      expect(stored.length).toBe(accepted.size); // none lost
      const storedIds = new Set(stored);
      expect([...accepted].filter((id) => !storedIds.has(id))).toEqual([]);
      console.info(
        `postgres restart: ${accepted.size} events accepted (${beforeCrash} before the crash), ${failures} refused or failed attempts, ${stored.length} stored`,
      );
    } finally {
      await database.end();
    }
  }, 180_000);
});
