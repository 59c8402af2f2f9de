import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectNats } from '../../adapters/nats/connect.js';
import { createPostgresDatabase, type TestDatabase } from '../../test-support/databases.js';
import { type NatsCluster, startNatsCluster } from '../../test-support/nats-cluster.js';
import { type ServerProcess, startMain } from '../../test-support/server-process.js';

const SDK_KEY = `clv_sdk_${'C'.repeat(40)}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function batchOf(size: number) {
  return Array.from({ length: size }, (_, index) => ({
    id: randomUUID(),
    type: 'track',
    unitId: `u-${index}`,
    event: 'purchase',
    value: index,
    timestamp: new Date().toISOString(),
  }));
}

/**
 * The event log as production runs it: a 3-node JetStream cluster (three real nats-server
 * processes with routes), the events stream kept in 3 copies. Losing one node — a follower, then
 * the stream's leader — must not lose or double an accepted event, and ingestion goes on; with two
 * of three nodes down there is no quorum, and the API must answer 503 with Retry-After (never
 * 202) until a node returns.
 */
describe('clustered event log: 3 NATS nodes, 3 replicas, nodes killed during ingestion', () => {
  let cluster: NatsCluster;
  let database: TestDatabase;
  let directory: string;
  let api: ServerProcess | undefined;
  let writer: ServerProcess | undefined;
  const stream = `CLUSTER_${randomUUID().replaceAll('-', '').slice(0, 12).toUpperCase()}`;

  beforeAll(async () => {
    cluster = await startNatsCluster(3);
    database = await createPostgresDatabase();
    directory = mkdtempSync(path.join(tmpdir(), 'cleave-cluster-'));
    const env = {
      DATABASE_URL: database.location,
      NATS_URL: cluster.urls,
      CLEAVE_NATS_STREAM: stream,
      CLEAVE_NATS_REPLICAS: '3',
      CLEAVE_INIT_SDK_KEY: SDK_KEY,
    };
    // The cluster elects its JetStream leader a moment after the processes start: retry start-up.
    for (let attempt = 0; !api; attempt += 1) {
      try {
        api = await startMain({ ...env, CLEAVE_ROLES: 'api' }, directory);
      } catch (error) {
        if (attempt >= 10) throw error;
        await sleep(1_000);
      }
    }
    writer = await startMain({ ...env, CLEAVE_ROLES: 'worker' }, directory);
  }, 120_000);

  afterAll(async () => {
    await api?.stop();
    await writer?.stop();
    await cluster?.stop();
    await database?.destroy();
    if (directory) rmSync(directory, { recursive: true, force: true });
  });

  const send = (events: unknown[]) =>
    fetch(`${api?.url}/api/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SDK_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ events }),
      signal: AbortSignal.timeout(10_000),
    });

  async function streamLeader(): Promise<string | undefined> {
    for (const node of cluster.nodes) {
      if (!node.process) continue;
      const nats = await connectNats(node.url).catch(() => undefined);
      if (!nats) continue;
      try {
        const info = await (await jetstreamManager(nats.connection, { timeout: 3_000 })).streams.info(stream);
        return info.cluster?.leader;
      } catch {
        // this node cannot answer (no quorum yet); ask the next
      } finally {
        await nats.close();
      }
    }
    return undefined;
  }

  it('keeps accepting with one node down (follower, then leader) and stores every accepted event once', async () => {
    const accepted = new Set<string>();
    let sending = true;
    const client = (async () => {
      while (sending) {
        const batch = batchOf(20);
        // Like the SDK: the same batch (same ids) is retried until the API accepts it.
        for (;;) {
          const response = await send(batch).catch(() => undefined);
          if (response?.status === 202) {
            for (const event of batch) accepted.add(event.id);
            await response.body?.cancel();
            break;
          }
          await response?.body?.cancel();
          await sleep(100);
        }
        await sleep(20);
      }
    })();

    await sleep(1_500);
    const leader = await streamLeader();
    expect(leader).toBeDefined();
    const follower = cluster.nodes.find((node) => node.name !== leader)?.name as string;
    await cluster.kill(follower);
    await sleep(2_000);
    const acceptedWithFollowerDown = accepted.size;
    await cluster.start(follower);
    await sleep(2_000);
    await cluster.kill(leader as string);
    await sleep(4_000);
    // Electing a new leader and the client finding it takes longer on a loaded machine: wait for
    // progress (up to 20 s more) rather than judging a fixed window.
    for (let waited = 0; waited < 20_000 && accepted.size <= acceptedWithFollowerDown; waited += 250)
      await sleep(250);
    const acceptedBeforeLeaderReturns = accepted.size;
    await cluster.start(leader as string);
    await sleep(1_500);
    sending = false;
    await client;

    expect(acceptedWithFollowerDown).toBeGreaterThan(0);
    // Ingestion went on after the leader died (a new leader was elected among the other two).
    expect(acceptedBeforeLeaderReturns).toBeGreaterThan(acceptedWithFollowerDown);

    const pg = new (await import('pg')).default.Client({ connectionString: database.location });
    await pg.connect();
    const count = async () => Number((await pg.query('select count(*) as n from events')).rows[0].n);
    const deadline = Date.now() + 30_000;
    while ((await count()) < accepted.size && Date.now() < deadline) await sleep(200);
    // On a shortfall, say where the missing events are: still in the log, or gone.
    let log = '';
    if ((await count()) < accepted.size) {
      const nats = await connectNats(cluster.urls);
      const info = await (await jetstreamManager(nats.connection)).consumers.info(
        stream,
        'cleave-event-writer',
      );
      log = `writer consumer: ${info.num_pending} messages pending, ${info.num_ack_pending} unacknowledged, ${info.num_waiting} pulls waiting`;
      await nats.close();
    }
    const { rows } = await pg.query<{ event_id: string }>('select event_id from events');
    await pg.end();
    const stored = rows.map((row) => row.event_id);
    expect(new Set(stored).size).toBe(stored.length); // none twice
    expect(stored.length, log).toBe(accepted.size); // none lost, nothing unaccepted
    expect([...accepted].every((id) => stored.includes(id))).toBe(true);
  }, 120_000);

  it('answers 503 with Retry-After, never 202, with two of three nodes down, and recovers when one returns', async () => {
    const [first, second] = cluster.nodes.map((node) => node.name) as [string, string];
    await cluster.kill(first);
    await cluster.kill(second);
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const response = await send(batchOf(5));
      statuses.push(response.status);
      if (response.status === 503) expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
      await response.body?.cancel();
    }
    expect(statuses.every((status) => status === 503)).toBe(true);

    await cluster.start(first);
    const deadline = Date.now() + 30_000;
    let recovered = false;
    while (!recovered && Date.now() < deadline) {
      const response = await send(batchOf(5)).catch(() => undefined);
      recovered = response?.status === 202;
      await response?.body?.cancel();
      if (!recovered) await sleep(500);
    }
    expect(recovered).toBe(true);
    await cluster.start(second);
  }, 120_000);
});
