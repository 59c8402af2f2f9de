import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase, type TestDatabase } from '../../test-support/databases.js';
import { type ServerProcess, startMain } from '../../test-support/server-process.js';
import { TEST_REDIS_URL } from '../../test-support/services.js';
import { connectSse } from '../../test-support/sse-client.js';

const ADMIN_TOKEN = `clv_admin_${'F'.repeat(40)}`;
const SDK_KEY = `clv_sdk_${'G'.repeat(40)}`;

describe('config changes fan out across API nodes through Redis', () => {
  let database: TestDatabase;
  let directory: string;
  const nodes: ServerProcess[] = [];

  beforeAll(async () => {
    database = await createPostgresDatabase();
    directory = mkdtempSync(path.join(tmpdir(), 'cleave-fan-out-'));
    const env = {
      DATABASE_URL: database.location,
      REDIS_URL: TEST_REDIS_URL,
      CLEAVE_INIT_ADMIN_TOKEN: ADMIN_TOKEN,
      CLEAVE_INIT_SDK_KEY: SDK_KEY,
    };
    // One after the other: the first migrates and provisions, the second finds it done.
    nodes.push(await startMain(env, directory));
    nodes.push(await startMain(env, directory));
  }, 60_000);

  afterAll(async () => {
    for (const node of nodes) await node.stop();
    await database?.destroy();
    if (directory) rmSync(directory, { recursive: true, force: true });
  });

  it('delivers a change made through one node to a stream client of the other', async () => {
    const [writer, reader] = nodes as [ServerProcess, ServerProcess];
    const admin = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' };
    const created = await fetch(`${writer.url}/api/v1/projects/default/flags`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({
        key: 'fan-out',
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

    const stream = await connectSse(`${reader.url}/api/v1/sdk/stream`, {
      authorization: `Bearer ${SDK_KEY}`,
    });
    const initial = await stream.next((event) => event.event === 'config');
    expect(JSON.parse(initial.data).flags).toEqual([
      expect.objectContaining({ key: 'fan-out', enabled: false }),
    ]);

    const toggled = await fetch(
      `${writer.url}/api/v1/projects/default/flags/fan-out/environments/production/toggle`,
      {
        method: 'POST',
        headers: admin,
        body: JSON.stringify({ enabled: true, version: 1 }),
      },
    );
    expect(toggled.status).toBe(200);
    const update = await stream.next(
      (event) => event.event === 'config' && Number(event.id) > Number(initial.id),
      10_000,
    );
    expect(JSON.parse(update.data).flags).toEqual([
      expect.objectContaining({ key: 'fan-out', enabled: true }),
    ]);
    stream.close();
  });

  it('closes streams of a key revoked through the other node, and refuses the key there at once', async () => {
    const [writer, reader] = nodes as [ServerProcess, ServerProcess];
    const admin = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' };
    const createKey = async (kind: 'sdk' | 'server') => {
      const response = await fetch(`${writer.url}/api/v1/projects/default/api-keys`, {
        method: 'POST',
        headers: admin,
        body: JSON.stringify({ name: `revoked ${kind}`, kind, environment: 'production' }),
      });
      expect(response.status).toBe(201);
      return (await response.json()) as { id: string; secret: string };
    };
    const sdkKey = await createKey('sdk');
    const serverKey = await createKey('server');
    const sdkStream = await connectSse(`${reader.url}/api/v1/sdk/stream?key=${sdkKey.secret}`);
    const ofrepStream = await connectSse(`${reader.url}/ofrep/v1/events`, {
      authorization: `Bearer ${serverKey.secret}`,
    });
    await sdkStream.next((event) => event.event === 'config');
    expect(ofrepStream.status).toBe(200);

    const revokedAt = Date.now();
    for (const key of [sdkKey, serverKey]) {
      const revoked = await fetch(`${writer.url}/api/v1/projects/default/api-keys/${key.id}`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      });
      expect(revoked.status).toBe(200);
    }
    // The README's bound for other nodes is 5 s; the Redis notice makes it well under that.
    const ended = await Promise.race([
      Promise.all([sdkStream.ended, ofrepStream.ended]).then(() => true),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 5_000)),
    ]);
    expect(ended).toBe(true);
    const config = await fetch(`${reader.url}/api/v1/sdk/config`, {
      headers: { authorization: `Bearer ${sdkKey.secret}` },
    });
    expect(config.status).toBe(401);
    expect(Date.now() - revokedAt).toBeLessThan(5_000);
  });

  it("delivers a project change made through one node to the other node's live-update stream", async () => {
    const [writer, reader] = nodes as [ServerProcess, ServerProcess];
    const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
    const stream = await connectSse(`${reader.url}/api/v1/projects/default/changes/stream`, admin);
    expect(stream.status).toBe(200);
    const created = await fetch(`${writer.url}/api/v1/projects/default/segments`, {
      method: 'POST',
      headers: { ...admin, 'content-type': 'application/json' },
      body: JSON.stringify({
        key: 'fan-out-segment',
        conditions: [{ attribute: 'country', operator: 'eq', value: 'NL' }],
      }),
    });
    expect(created.status).toBe(201);
    const change = await stream.next((event) => event.event === 'change', 10_000);
    expect(JSON.parse(change.data)).toMatchObject({
      resourceType: 'segment',
      resourceKey: 'fan-out-segment',
      action: 'segment.created',
    });
    stream.close();
  });
});
