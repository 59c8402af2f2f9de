import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectNats } from '../../adapters/nats/connect.js';
import { createPostgresDatabase, type TestDatabase } from '../../test-support/databases.js';
import { type ServerProcess, startMain } from '../../test-support/server-process.js';
import { TEST_NATS_URL } from '../../test-support/services.js';

const SDK_KEY = `clv_sdk_${'E'.repeat(40)}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The durability proof: while a client sends events steadily, the writer is killed with SIGKILL and
 * restarted, then the API node is restarted. Afterwards the store must hold exactly the distinct
 * events the API accepted (202): none lost, none twice.
 */
describe('exactly-once ingestion through faults (PostgreSQL + NATS JetStream, real processes)', () => {
  let database: TestDatabase;
  let directory: string;
  const stream = `FAULT_${randomUUID().replaceAll('-', '').slice(0, 12).toUpperCase()}`;
  let env: Record<string, string>;
  let api: ServerProcess | undefined;
  let writer: ServerProcess | undefined;

  beforeAll(async () => {
    database = await createPostgresDatabase();
    directory = mkdtempSync(path.join(tmpdir(), 'cleave-fault-'));
    env = {
      DATABASE_URL: database.location,
      NATS_URL: TEST_NATS_URL,
      CLEAVE_NATS_STREAM: stream,
      CLEAVE_INIT_SDK_KEY: SDK_KEY,
    };
    api = await startMain({ ...env, CLEAVE_ROLES: 'api' }, directory);
    writer = await startMain({ ...env, CLEAVE_ROLES: 'worker' }, directory);
  }, 60_000);

  afterAll(async () => {
    await api?.stop();
    await writer?.stop();
    const nats = await connectNats(TEST_NATS_URL);
    await (await jetstreamManager(nats.connection)).streams.delete(stream).catch(() => {});
    await nats.close();
    await database?.destroy();
    if (directory) rmSync(directory, { recursive: true, force: true });
  });

  it('stores exactly the accepted events after the writer is killed and the API node restarts', async () => {
    const accepted = new Set<string>();
    let sending = true;
    let attempts = 0;
    let failures = 0;

    const client = (async () => {
      while (sending) {
        const batch = Array.from({ length: 50 }, (_, index) => ({
          id: randomUUID(),
          type: index % 5 === 0 ? 'exposure' : 'track',
          unitId: `u-${index}`,
          ...(index % 5 === 0
            ? { experiment: 'cta', variant: 'treatment' }
            : { event: 'purchase', value: index }),
          timestamp: new Date().toISOString(),
        }));
        // Like the SDK: the same batch (same ids) is retried until the API accepts it.
        for (;;) {
          attempts += 1;
          try {
            const response = await fetch(`${api?.url}/api/v1/events`, {
              method: 'POST',
              headers: { authorization: `Bearer ${SDK_KEY}`, 'content-type': 'application/json' },
              body: JSON.stringify({ events: batch }),
              signal: AbortSignal.timeout(5_000),
            });
            if (response.status === 202) {
              const body = await response.json();
              expect(body.rejected).toEqual([]);
              for (const event of batch) accepted.add(event.id);
              break;
            }
            await response.body?.cancel();
          } catch {
            // connection refused while the API node restarts
          }
          failures += 1;
          await sleep(50);
        }
        await sleep(10);
      }
    })();

    await sleep(1_500);
    expect(await writer?.stop('SIGKILL')).toBeNull(); // killed by a signal: no exit code
    await sleep(1_000);
    writer = await startMain({ ...env, CLEAVE_ROLES: 'worker' }, directory);
    await sleep(1_000);
    await api?.stop('SIGTERM');
    await sleep(300);
    api = await startMain({ ...env, CLEAVE_ROLES: 'api' }, directory);
    await sleep(1_500);
    sending = false;
    await client;

    const pool = (await import('pg')).default;
    const pg = new pool.Client({ connectionString: database.location });
    await pg.connect();
    const count = async () => Number((await pg.query('select count(*) as n from events')).rows[0].n);
    const deadline = Date.now() + 30_000;
    while ((await count()) < accepted.size && Date.now() < deadline) await sleep(200);
    const { rows } = await pg.query<{ event_id: string }>('select event_id from events');
    await pg.end();

    const stored = rows.map((row) => row.event_id);
    expect(accepted.size).toBeGreaterThan(500);
    expect(failures).toBeGreaterThan(0); // the API restart really interrupted the client
    expect(new Set(stored).size).toBe(stored.length); // none twice
    expect(stored.length).toBe(accepted.size); // none lost
    expect([...accepted].every((id) => stored.includes(id))).toBe(true);
    expect(attempts).toBeGreaterThan(accepted.size / 50);
  }, 90_000);
});
