import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase, type TestDatabase } from '../../test-support/databases.js';
import { type RedisServer, startRedisServer } from '../../test-support/redis-server.js';
import { type ServerProcess, startMain } from '../../test-support/server-process.js';
import { connectSse, type SseClient } from '../../test-support/sse-client.js';

/**
 * Redis down under two API nodes sharing it (cache, config fan-out, rate limits): SDK configs and
 * OFREP are still served from the database, management writes and event ingestion still work;
 * when Redis returns, streams on the other node catch up on the change they missed, and no node
 * serves the configuration from before the outage.
 */

const ADMIN_TOKEN = `clv_admin_${'R'.repeat(40)}`;
const SDK_KEY = `clv_sdk_${'S'.repeat(40)}`;
const admin = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' };
const sdk = { authorization: `Bearer ${SDK_KEY}`, 'content-type': 'application/json' };

interface FlagState {
  key: string;
  enabled: boolean;
}

async function sdkConfig(node: ServerProcess): Promise<{ status: number; flags: FlagState[] }> {
  const response = await fetch(`${node.url}/api/v1/sdk/config`, { headers: sdk });
  return { status: response.status, flags: response.status === 200 ? (await response.json()).flags : [] };
}

async function toggle(node: ServerProcess, enabled: boolean, version: number): Promise<number> {
  const response = await fetch(
    `${node.url}/api/v1/projects/default/flags/outage/environments/production/toggle`,
    { method: 'POST', headers: admin, body: JSON.stringify({ enabled, version }) },
  );
  return response.status;
}

describe('Redis down and back, two API nodes', () => {
  let database: TestDatabase;
  let redis: RedisServer;
  let directory: string;
  const nodes: ServerProcess[] = [];
  const streams: SseClient[] = [];

  beforeAll(async () => {
    database = await createPostgresDatabase();
    redis = await startRedisServer();
    directory = mkdtempSync(path.join(tmpdir(), 'cleave-redis-outage-'));
    const env = {
      DATABASE_URL: database.location,
      REDIS_URL: redis.url,
      CLEAVE_INIT_ADMIN_TOKEN: ADMIN_TOKEN,
      CLEAVE_INIT_SDK_KEY: SDK_KEY,
    };
    nodes.push(await startMain(env, directory, 60_000));
    nodes.push(await startMain(env, directory, 60_000));
  }, 180_000);

  afterAll(async () => {
    for (const stream of streams) stream.close();
    for (const node of nodes) await node.stop('SIGKILL');
    await redis?.kill();
    await database?.destroy();
    if (directory) rmSync(directory, { recursive: true, force: true });
  });

  it('serves from the store while Redis is down, and catches up with no stale config when it returns', async () => {
    const [a, b] = nodes as [ServerProcess, ServerProcess];
    const created = await fetch(`${a.url}/api/v1/projects/default/flags`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({
        key: 'outage',
        type: 'boolean',
        variants: [
          { key: 'on', value: true },
          { key: 'off', value: false },
        ],
        defaultVariant: 'on',
        offVariant: 'off',
      }),
    });
    expect(created.status).toBe(201);

    const stream = await connectSse(`${b.url}/api/v1/sdk/stream`, { authorization: `Bearer ${SDK_KEY}` });
    streams.push(stream);
    const initial = await stream.next((event) => event.event === 'config', 20_000);
    expect(JSON.parse(initial.data).flags).toEqual([
      expect.objectContaining({ key: 'outage', enabled: false }),
    ]);
    const ofrepStream = await connectSse(`${b.url}/ofrep/v1/events`, { authorization: `Bearer ${SDK_KEY}` });
    streams.push(ofrepStream);
    // Node B now tracks the version from before the outage: what it must not keep serving later.
    expect((await sdkConfig(b)).flags).toEqual([expect.objectContaining({ enabled: false })]);

    await redis.kill();

    // Everything the SDKs need still answers, from the database.
    for (const node of [a, b]) {
      const config = await sdkConfig(node);
      expect(config.status).toBe(200);
      expect(config.flags.map((flag) => flag.key)).toEqual(['outage']);
      const ofrep = await fetch(`${node.url}/ofrep/v1/evaluate/flags/outage`, {
        method: 'POST',
        headers: sdk,
        body: JSON.stringify({ context: { targetingKey: 'user-1' } }),
      });
      expect(ofrep.status).toBe(200);
      const events = await fetch(`${node.url}/api/v1/events`, {
        method: 'POST',
        headers: sdk,
        body: JSON.stringify({
          events: [
            {
              id: randomUUID(),
              type: 'track',
              unitId: 'user-1',
              event: 'purchase',
              timestamp: new Date().toISOString(),
            },
          ],
        }),
      });
      expect(events.status).toBe(202);
    }
    // A change made through A while the fan-out is down: its notice is lost to B.
    expect(await toggle(a, true, 1)).toBe(200);
    // A, which made it, serves it at once (it cannot hear itself through Redis either).
    expect((await sdkConfig(a)).flags).toEqual([expect.objectContaining({ enabled: true })]);

    await redis.start();

    // B's stream catches up on the change it never heard of, and its OFREP stream announces it.
    const caughtUp = await stream.next(
      (event) => event.event === 'config' && Number(event.id) > Number(initial.id),
      30_000,
    );
    expect(JSON.parse(caughtUp.data).flags).toEqual([
      expect.objectContaining({ key: 'outage', enabled: true }),
    ]);
    const refetch = await ofrepStream.next((event) => event.data.includes('refetchEvaluation'), 30_000);
    expect(JSON.parse(refetch.data).etag).toBe(`"${caughtUp.id}"`);
    // And no node serves the configuration from before the outage (B had it tracked).
    for (const node of [a, b]) {
      expect((await sdkConfig(node)).flags).toEqual([expect.objectContaining({ enabled: true })]);
    }

    // The fan-out works again: a change through A reaches B's stream.
    expect(await toggle(a, false, 2)).toBe(200);
    const after = await stream.next(
      (event) => event.event === 'config' && Number(event.id) > Number(caughtUp.id),
      30_000,
    );
    expect(JSON.parse(after.data).flags).toEqual([expect.objectContaining({ enabled: false })]);
  }, 180_000);
});
