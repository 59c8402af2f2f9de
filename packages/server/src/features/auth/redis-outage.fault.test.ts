import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase, type TestDatabase } from '../../test-support/databases.js';
import { type RedisServer, startRedisServer } from '../../test-support/redis-server.js';
import { type ServerProcess, startMain } from '../../test-support/server-process.js';

/**
 * Sign-in limits while Redis, which shares them between API nodes, is down: they hold per node
 * (the same limits, counted in-process) instead of lapsing, and are shared again once it is back.
 * The server allows 10 sign-in attempts per address and email each minute; failures per address
 * (across emails) are set to 15 here. Each case signs in from its own address (X-Forwarded-For).
 */

const ATTEMPTS_PER_MINUTE = 10;
const FAILURES_PER_ADDRESS = 15;
const OUTAGE_LOG = 'rate limits are counted per node until it answers';
const RECOVERY_LOG = 'rate limits are shared across nodes again';

interface Answer {
  status: number;
  message: string;
}

async function signIn(node: ServerProcess, address: string, email: string): Promise<Answer> {
  const response = await fetch(`${node.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
    body: JSON.stringify({ email, password: 'guess-guess-guess' }),
  });
  const body = await response.json();
  return { status: response.status, message: body.error?.message ?? '' };
}

async function attempts(nodes: ServerProcess[], count: number, address: string, email: string) {
  const statuses: number[] = [];
  for (let index = 0; index < count; index++)
    statuses.push((await signIn(nodes[index % nodes.length] as ServerProcess, address, email)).status);
  return statuses;
}

async function waitUntilReady(node: ServerProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await fetch(`${node.url}/readyz`)).status !== 200) {
    if (Date.now() > deadline) throw new Error(`${node.url} not ready within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const occurrences = (text: string, part: string) => text.split(part).length - 1;

describe('sign-in limits while Redis is down, two API nodes', () => {
  let database: TestDatabase;
  let redis: RedisServer;
  let directory: string;
  const nodes: ServerProcess[] = [];

  beforeAll(async () => {
    database = await createPostgresDatabase();
    redis = await startRedisServer();
    directory = mkdtempSync(path.join(tmpdir(), 'cleave-rate-limit-outage-'));
    const env = {
      DATABASE_URL: database.location,
      REDIS_URL: redis.url,
      CLEAVE_TRUST_PROXY: 'true',
      CLEAVE_SIGNIN_FAILURES_PER_ADDRESS: String(FAILURES_PER_ADDRESS),
    };
    nodes.push(await startMain(env, directory, 60_000));
    nodes.push(await startMain(env, directory, 60_000));
  }, 180_000);

  afterAll(async () => {
    for (const node of nodes) await node.stop('SIGKILL');
    await redis?.kill();
    await database?.destroy();
    if (directory) rmSync(directory, { recursive: true, force: true });
  });

  it('enforces the limits per node during the outage and shares them again afterwards', async () => {
    const [a, b] = nodes as [ServerProcess, ServerProcess];
    const allowed = Array(ATTEMPTS_PER_MINUTE).fill(401);

    // Shared: attempts alternate between the nodes and still meet one limit.
    expect(await attempts([a, b], ATTEMPTS_PER_MINUTE, '203.0.113.1', 'before@example.com')).toEqual(allowed);
    expect((await signIn(a, '203.0.113.1', 'before@example.com')).status).toBe(429);

    await redis.kill();

    // Each node enforces the limit on its own: the attempt past it is refused, on either node.
    expect(await attempts([a], ATTEMPTS_PER_MINUTE, '203.0.113.2', 'during@example.com')).toEqual(allowed);
    const limited = await signIn(a, '203.0.113.2', 'during@example.com');
    expect(limited.status).toBe(429);
    expect(limited.message).toMatch(/Too many sign-in attempts/);
    expect(await attempts([b], ATTEMPTS_PER_MINUTE, '203.0.113.2', 'during@example.com')).toEqual(allowed);
    expect((await signIn(b, '203.0.113.2', 'during@example.com')).status).toBe(429);

    // The back-off per address across emails holds too (it used to answer 503 without Redis).
    const spray = [];
    for (let index = 0; index <= FAILURES_PER_ADDRESS; index++)
      spray.push((await signIn(a, '203.0.113.3', `spray-${index}@example.com`)).status);
    expect(spray).toEqual(Array(FAILURES_PER_ADDRESS + 1).fill(401));
    const throttled = await signIn(a, '203.0.113.3', 'spray-last@example.com');
    expect(throttled.status).toBe(429);
    expect(throttled.message).toMatch(/Too many failed sign-ins from your address/);

    await redis.start();
    for (const node of [a, b]) await waitUntilReady(node, 30_000);
    // Past the interval at which a node retries Redis during an outage (1 s).
    await new Promise((resolve) => setTimeout(resolve, 1_500));

    // Shared again: alternating nodes meet one limit.
    expect(await attempts([a, b], ATTEMPTS_PER_MINUTE, '203.0.113.4', 'after@example.com')).toEqual(allowed);
    expect((await signIn(b, '203.0.113.4', 'after@example.com')).status).toBe(429);

    // One warning per outage and node, not one per request, and one note when it ends.
    for (const node of [a, b]) {
      expect(occurrences(node.output(), OUTAGE_LOG)).toBe(1);
      expect(occurrences(node.output(), RECOVERY_LOG)).toBe(1);
    }
  }, 180_000);
});
