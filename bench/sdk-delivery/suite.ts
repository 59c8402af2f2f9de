/**
 * @module The SDK delivery suite, end to end against the built server in child processes:
 *
 * 1. Change propagation: the time from a flag toggle through the management API until an SDK
 *    client (streaming) emits `change` for that flag. Embedded (one process, SQLite) and with
 *    Redis (PostgreSQL + Redis, two processes: changes go through node A, the SDK streams from
 *    node B, so the figure includes the Redis fan-out). Goal: p99 under 50 ms on loopback.
 * 2. OFREP single-flag evaluations per second against `/healthz` per second on the same embedded
 *    server, in the same run, with autocannon: the ratio is evaluation's overhead over the bare
 *    HTTP stack (routing, logging, metrics). The load generator shares the machine's cores.
 *
 * Results go to bench/results/sdk-delivery.json.
 */
import { fileURLToPath } from 'node:url';
import { type CleaveClient, createClient } from '@cleave/sdk';
import autocannon from 'autocannon';
import { describeEnvironment, printTable, type Suite, writeResults } from '../harness.js';
import { type BenchServer, startServer, stopAll } from '../support/server.js';
import {
  type Api,
  apiClient,
  bootstrapKeys,
  createDatabase,
  createTempDir,
  REDIS_URL,
  type TempDatabase,
  type TempDir,
} from '../support/services.js';
import { type LatencySummary, median, round, summarize } from '../support/stats.js';

/** p99 of change delivery must stay under this, in ms. */
export const GOAL_P99_MS = 50;
/** Rounds per mode; the reported percentiles are the medians of the rounds' percentiles. */
const ROUNDS = 3;
/** Measured changes per round (after `WARMUP_CHANGES` unmeasured ones in the first round). */
const CHANGES_PER_ROUND = 200;
const WARMUP_CHANGES = 20;
/** A change not delivered within this long counts as missed (and as this latency). */
const CHANGE_TIMEOUT_MS = 5_000;

const LOAD = { connections: 50, pipelining: 1, durationSeconds: 5, warmupSeconds: 2, rounds: 3 } as const;

const RESULTS_PATH = fileURLToPath(new URL('../results/sdk-delivery.json', import.meta.url));
const PROJECT = '/api/v1/projects/default';
const DELIVERY_FLAG = 'bench-delivery';
const OFREP_FLAG = 'bench-ofrep';
/** The OFREP request's context: matches the first condition of the force rule, not the second. */
const OFREP_CONTEXT = { targetingKey: 'user-4242', country: 'NL', plan: 'free', email: 'ann@example.com' };

interface DeliveryRound {
  readonly summary: LatencySummary;
  readonly missed: number;
}

interface DeliveryResult {
  readonly mode: 'embedded' | 'redis';
  readonly topology: string;
  readonly changesPerRound: number;
  readonly rounds: readonly DeliveryRound[];
  /** Median over the rounds of each percentile, ms. */
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
  readonly missed: number;
  readonly pass: boolean;
}

interface LoadRound {
  readonly target: 'ofrep' | 'healthz';
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
  readonly non2xx: number;
}

interface LoadResult {
  readonly rounds: readonly LoadRound[];
  readonly ofrep: { readonly requestsPerSecond: number; readonly p99Ms: number };
  readonly healthz: { readonly requestsPerSecond: number; readonly p99Ms: number };
  readonly ratio: number;
}

const BOOLEAN_FLAG = {
  type: 'boolean',
  variants: [
    { key: 'off', value: false },
    { key: 'on', value: true },
  ],
  defaultVariant: 'off',
  offVariant: 'off',
} as const;

async function createDeliveryFlag(admin: Api): Promise<number> {
  const flag = await admin.post<{ version: number }>(`${PROJECT}/flags`, {
    key: DELIVERY_FLAG,
    ...BOOLEAN_FLAG,
    environments: { production: { enabled: true } },
  });
  return flag.version;
}

/** A flag whose evaluation does some work: a force rule with two conditions, then a rollout. */
async function createOfrepFlag(admin: Api): Promise<void> {
  await admin.post(`${PROJECT}/flags`, {
    key: OFREP_FLAG,
    ...BOOLEAN_FLAG,
    environments: {
      production: {
        enabled: true,
        rules: [
          {
            id: 'beta',
            type: 'force',
            variant: 'on',
            conditions: [
              { attribute: 'country', operator: 'in', value: ['NL', 'BE', 'DE'] },
              { attribute: 'plan', operator: 'eq', value: 'pro' },
            ],
          },
          { id: 'ramp', type: 'rollout', variant: 'on', fraction: 0.5 },
        ],
      },
    },
  });
}

/** Waits for the client's next `change` that names `flagKey`; resolves with its time. */
function changeWaiter(client: CleaveClient, flagKey: string) {
  let pending: ((time: number) => void) | undefined;
  const stop = client.on('change', (change) => {
    if (change.flagKeys.includes(flagKey)) pending?.(performance.now());
  });
  return {
    next(timeoutMs: number): Promise<number | undefined> {
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          pending = undefined;
          resolve(undefined);
        }, timeoutMs);
        pending = (time) => {
          clearTimeout(timer);
          pending = undefined;
          resolve(time);
        };
      });
    },
    stop,
  };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Toggles the flag through `admin` and times each change until `sdkHost`'s client sees it. */
async function measureDelivery(
  mode: DeliveryResult['mode'],
  topology: string,
  admin: Api,
  sdkHost: string,
  sdkKey: string,
): Promise<DeliveryResult> {
  let version = await createDeliveryFlag(admin);
  let enabled = true;
  const client = createClient({ sdkKey, apiHost: sdkHost, events: { enabled: false } });
  const waiter = changeWaiter(client, DELIVERY_FLAG);
  try {
    const status = await client.ready();
    if (status !== 'ready') throw new Error(`the SDK client did not become ready (${status})`);
    const toggle = async (): Promise<number> => {
      enabled = !enabled;
      const seen = waiter.next(CHANGE_TIMEOUT_MS);
      const started = performance.now();
      const updated = await admin.post<{ version: number }>(
        `${PROJECT}/flags/${DELIVERY_FLAG}/environments/production/toggle`,
        { enabled, version },
      );
      version = updated.version;
      const arrived = await seen;
      return arrived === undefined ? Number.POSITIVE_INFINITY : arrived - started;
    };
    for (let index = 0; index < WARMUP_CHANGES; index++) await toggle();
    const rounds: DeliveryRound[] = [];
    for (let roundIndex = 0; roundIndex < ROUNDS; roundIndex++) {
      const latencies: number[] = [];
      for (let index = 0; index < CHANGES_PER_ROUND; index++) {
        latencies.push(await toggle());
        // A short, random gap: changes are not back to back, nor in step with any timer.
        await pause(2 + Math.random() * 8);
      }
      const missed = latencies.filter((latency) => !Number.isFinite(latency)).length;
      rounds.push({
        summary: summarize(latencies.map((latency) => Math.min(latency, CHANGE_TIMEOUT_MS))),
        missed,
      });
    }
    const p99 = median(rounds.map((entry) => entry.summary.p99));
    const missed = rounds.reduce((sum, round) => sum + round.missed, 0);
    return {
      mode,
      topology,
      changesPerRound: CHANGES_PER_ROUND,
      rounds: rounds.map((entry) => ({
        missed: entry.missed,
        summary: {
          count: entry.summary.count,
          p50: round(entry.summary.p50),
          p90: round(entry.summary.p90),
          p99: round(entry.summary.p99),
          max: round(entry.summary.max),
        },
      })),
      p50: round(median(rounds.map((entry) => entry.summary.p50))),
      p90: round(median(rounds.map((entry) => entry.summary.p90))),
      p99: round(p99),
      max: round(Math.max(...rounds.map((entry) => entry.summary.max))),
      missed,
      pass: p99 < GOAL_P99_MS && missed === 0,
    };
  } finally {
    waiter.stop();
    await client.close();
  }
}

function runLoad(options: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

/** OFREP evaluations and `/healthz` against one server, alternating, several rounds. */
async function measureLoad(server: BenchServer, admin: Api): Promise<LoadResult> {
  await createOfrepFlag(admin);
  const { secret: serverKey } = await admin.post<{ secret: string }>(`${PROJECT}/api-keys`, {
    name: 'bench-ofrep',
    kind: 'server',
    environment: 'production',
  });
  const targets = {
    ofrep: {
      url: `${server.url}/ofrep/v1/evaluate/flags/${OFREP_FLAG}`,
      method: 'POST' as const,
      headers: { authorization: `Bearer ${serverKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ context: OFREP_CONTEXT }),
    },
    healthz: { url: `${server.url}/healthz`, method: 'GET' as const },
  };
  // One answer checked by hand: a 200 with the rollout's value, not an error body.
  const probe = await fetch(targets.ofrep.url, targets.ofrep);
  const answer = (await probe.json()) as { value?: unknown; reason?: string };
  if (probe.status !== 200 || typeof answer.value !== 'boolean') {
    throw new Error(`OFREP probe failed: ${probe.status} ${JSON.stringify(answer)}`);
  }
  const common = { connections: LOAD.connections, pipelining: LOAD.pipelining };
  for (const target of ['ofrep', 'healthz'] as const) {
    await runLoad({ ...targets[target], ...common, duration: LOAD.warmupSeconds });
  }
  const rounds: LoadRound[] = [];
  for (let roundIndex = 0; roundIndex < LOAD.rounds; roundIndex++) {
    const order = roundIndex % 2 === 0 ? (['ofrep', 'healthz'] as const) : (['healthz', 'ofrep'] as const);
    for (const target of order) {
      const result = await runLoad({ ...targets[target], ...common, duration: LOAD.durationSeconds });
      rounds.push({
        target,
        requestsPerSecond: result.requests.average,
        p50Ms: result.latency.p50,
        p99Ms: result.latency.p99,
        errors: result.errors + result.timeouts,
        non2xx: result.non2xx,
      });
      console.log(
        `  ${target.padEnd(7)} round ${roundIndex + 1}: ${Math.round(result.requests.average)} req/s, p99 ${result.latency.p99} ms` +
          (result.non2xx + result.errors > 0 ? ` (${result.non2xx} non-2xx, ${result.errors} errors)` : ''),
      );
    }
  }
  const of = (target: LoadRound['target']) => rounds.filter((round) => round.target === target);
  const failed = rounds.filter((round) => round.errors + round.non2xx > 0);
  if (failed.length > 0) throw new Error(`load rounds with errors: ${JSON.stringify(failed)}`);
  const ofrep = {
    requestsPerSecond: Math.round(median(of('ofrep').map((round) => round.requestsPerSecond))),
    p99Ms: median(of('ofrep').map((round) => round.p99Ms)),
  };
  const healthz = {
    requestsPerSecond: Math.round(median(of('healthz').map((round) => round.requestsPerSecond))),
    p99Ms: median(of('healthz').map((round) => round.p99Ms)),
  };
  return { rounds, ofrep, healthz, ratio: round(ofrep.requestsPerSecond / healthz.requestsPerSecond, 3) };
}

async function runEmbedded(): Promise<{ delivery: DeliveryResult; load: LoadResult }> {
  const keys = bootstrapKeys();
  let dataDir: TempDir | undefined;
  let server: BenchServer | undefined;
  try {
    dataDir = createTempDir('cleave-bench-delivery');
    server = await startServer({
      name: 'embedded',
      env: {
        CLEAVE_DATA_DIR: dataDir.path,
        CLEAVE_INIT_ADMIN_TOKEN: keys.adminToken,
        CLEAVE_INIT_SDK_KEY: keys.sdkKey,
      },
    });
    const admin = apiClient(server.url, keys.adminToken);
    console.log('embedded (SQLite, one process): change delivery…');
    const delivery = await measureDelivery('embedded', 'one process, SQLite', admin, server.url, keys.sdkKey);
    console.log(
      `OFREP vs /healthz (autocannon, ${LOAD.connections} connections, ${LOAD.durationSeconds} s × ${LOAD.rounds} rounds each)…`,
    );
    const load = await measureLoad(server, admin);
    return { delivery, load };
  } finally {
    await stopAll([server]);
    dataDir?.remove();
  }
}

async function runWithRedis(): Promise<DeliveryResult> {
  const keys = bootstrapKeys();
  let database: TempDatabase | undefined;
  let nodeA: BenchServer | undefined;
  let nodeB: BenchServer | undefined;
  try {
    database = await createDatabase('cleave_bench_delivery');
    const env = {
      DATABASE_URL: database.url,
      REDIS_URL,
      CLEAVE_INIT_ADMIN_TOKEN: keys.adminToken,
      CLEAVE_INIT_SDK_KEY: keys.sdkKey,
    };
    // One after the other: the first migrates and provisions, the second finds both done.
    nodeA = await startServer({ name: 'redis-a', env });
    nodeB = await startServer({ name: 'redis-b', env });
    console.log('with Redis (PostgreSQL, changes via node A, SDK on node B): change delivery…');
    return await measureDelivery(
      'redis',
      'PostgreSQL + Redis, change on node A, SDK streams from node B',
      apiClient(nodeA.url, keys.adminToken),
      nodeB.url,
      keys.sdkKey,
    );
  } finally {
    await stopAll([nodeA, nodeB]);
    await database?.drop();
  }
}

const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(1) : '—');

async function run(): Promise<void> {
  const embedded = await runEmbedded();
  const redis = await runWithRedis();
  const deliveries = [embedded.delivery, redis];
  printTable(
    `Flag change → SDK 'change' event, ms (median of ${ROUNDS} rounds × ${CHANGES_PER_ROUND} changes; goal p99 < ${GOAL_P99_MS} ms)`,
    ['mode', 'p50', 'p90', 'p99', 'max', 'missed', 'goal'],
    deliveries.map((result) => [
      result.mode,
      ms(result.p50),
      ms(result.p90),
      ms(result.p99),
      ms(result.max),
      String(result.missed),
      result.pass ? 'PASS' : 'FAIL',
    ]),
  );
  const { load } = embedded;
  printTable(
    `OFREP single-flag evaluation vs GET /healthz, embedded server (median of ${LOAD.rounds} rounds of ${LOAD.durationSeconds} s; ${LOAD.connections} connections)`,
    ['endpoint', 'req/s', 'p99 ms'],
    [
      [
        `POST /ofrep/v1/evaluate/flags/${OFREP_FLAG}`,
        String(load.ofrep.requestsPerSecond),
        ms(load.ofrep.p99Ms),
      ],
      ['GET /healthz', String(load.healthz.requestsPerSecond), ms(load.healthz.p99Ms)],
      ['ratio ofrep / healthz', load.ratio.toFixed(3), ''],
    ],
  );
  console.log(
    'Note: autocannon runs in this process and shares the machine’s cores with the server, so both rates are lower than on separate machines; the ratio is the figure to compare.',
  );
  writeResults(RESULTS_PATH, {
    suite: 'sdk-delivery',
    goal: `p99 of flag change → SDK change event under ${GOAL_P99_MS} ms on loopback`,
    environment: describeEnvironment(),
    method: {
      delivery: `${WARMUP_CHANGES} warm-up toggles, then ${ROUNDS} rounds of ${CHANGES_PER_ROUND} toggles via POST …/toggle with a 2–10 ms random gap; latency = SDK 'change' event time − request start; reported = median over rounds of each percentile (max = overall)`,
      load: `autocannon in the benchmark process (shares the cores with the server), ${LOAD.connections} connections, pipelining ${LOAD.pipelining}, ${LOAD.warmupSeconds} s warm-up per endpoint, then ${LOAD.rounds} rounds of ${LOAD.durationSeconds} s per endpoint alternating order; server at its default LOG_LEVEL (info, request logging on)`,
    },
    delivery: deliveries,
    ofrepVsHealthz: load,
  });
  const failed = deliveries.filter((result) => !result.pass).map((result) => result.mode);
  console.log(
    failed.length === 0
      ? `\nBoth modes meet the p99 < ${GOAL_P99_MS} ms goal. Results: bench/results/sdk-delivery.json`
      : `\nBelow the goal: ${failed.join(', ')}. Results: bench/results/sdk-delivery.json`,
  );
}

export const suite: Suite = {
  name: 'sdk-delivery',
  description: 'flag change → SDK change event latency (embedded, Redis fan-out); OFREP vs /healthz req/s',
  run,
};
