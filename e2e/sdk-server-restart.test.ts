import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type CleaveError, type ClientStatus, createClient } from '@cleave/sdk';
import { type ServerProcess, startMain } from '@cleave/server/tooling';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const SDK_KEY = `clv_sdk_${'R'.repeat(40)}`;
const OUTAGE_MS = 10_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/**
 * Issue #11 item 11, with real processes: an SDK client with default settings tracks events
 * steadily while the server it talks to is stopped for ~10 s and started again on the same port.
 * Every tracked event must be stored exactly once, and the SDK must notice the server is back
 * (config stream reconnected, queued events sent) within 2 s of it listening again.
 */
describe('the SDK through a server restart (real server process, embedded SQLite)', () => {
  let directory: string;
  let env: Record<string, string>;
  let server: ServerProcess | undefined;

  beforeAll(async () => {
    directory = mkdtempSync(path.join(tmpdir(), 'cleave-sdk-restart-'));
    env = { PORT: String(await freePort()), CLEAVE_INIT_SDK_KEY: SDK_KEY };
    server = await startMain(env, directory);
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    if (directory) rmSync(directory, { recursive: true, force: true });
  });

  it('delivers every tracked event exactly once after a 10 s outage, resuming within 2 s', async () => {
    const accepted: number[] = [];
    const client = createClient({
      sdkKey: SDK_KEY,
      apiHost: server?.url ?? '',
      // The application's fetch, observed: when did event batches get through?
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        if (init?.method === 'POST' && response.status === 202) accepted.push(Date.now());
        return response;
      },
    });
    const errors: CleaveError[] = [];
    const statuses: { status: ClientStatus; at: number }[] = [];
    client.on('error', (error) => errors.push(error));
    client.on('status', (status) => statuses.push({ status, at: Date.now() }));
    expect(await client.ready()).toBe('ready');

    let tracked = 0;
    let tracking = true;
    const tracker = (async () => {
      while (tracking) {
        client.track('purchase', { value: tracked, context: { targetingKey: `user-${tracked % 50}` } });
        tracked += 1;
        await sleep(10);
      }
    })();

    await sleep(2_000);
    expect(await server?.stop()).toBe(0);
    await sleep(OUTAGE_MS);
    server = await startMain(env, directory);
    const restartedAt = Date.now();
    await sleep(3_000);
    tracking = false;
    await tracker;
    await client.close();

    const resumed = statuses.find((entry) => entry.status === 'ready' && entry.at >= restartedAt);
    expect(resumed, JSON.stringify(statuses)).toBeDefined();
    expect((resumed?.at ?? Number.POSITIVE_INFINITY) - restartedAt).toBeLessThan(2_000);
    const firstDelivery = accepted.find((at) => at >= restartedAt) ?? Number.POSITIVE_INFINITY;
    expect(firstDelivery - restartedAt).toBeLessThan(2_000);
    // Failures to reach the server are reported; no event was given up or pushed out.
    expect(errors.filter((error) => error.code.startsWith('events_'))).toEqual([]);

    await server.stop();
    server = undefined;
    const database = new Database(path.join(directory, '.cleave', 'cleave.db'), { readonly: true });
    try {
      const rows = database
        .prepare("select value, event_id from events where type = 'track' order by value")
        .all() as { value: number; event_id: string }[];
      expect(tracked).toBeGreaterThan(1_000);
      expect(rows.map((row) => row.value)).toEqual(Array.from({ length: tracked }, (_, i) => i));
      expect(new Set(rows.map((row) => row.event_id)).size).toBe(tracked);
    } finally {
      database.close();
    }
  }, 90_000);
});
