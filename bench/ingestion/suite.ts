/**
 * @module The ingestion suite, end to end against the built server in a child process: events per
 * second from HTTP in to rows committed, with batches of 100 and 1,000 events, and in the same run
 * the raw ceiling: COPY of the same rows straight into the same PostgreSQL `events` table.
 * Goal: production mode (NATS JetStream log + COPY writer into PostgreSQL) reaches at least half
 * of that ceiling. Also per-request latency, and the embedded mode (SQLite group commit) for
 * information.
 *
 * Results go to bench/results/ingestion.json.
 */
import http from 'node:http';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import Sqlite from 'better-sqlite3';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { describeEnvironment, printTable, type Suite, writeResults } from '../harness.js';
import { type BenchServer, startServer, stopAll } from '../support/server.js';
import {
  bootstrapKeys,
  createDatabase,
  createTempDir,
  NATS_URL,
  randomSuffix,
  type TempDatabase,
  type TempDir,
} from '../support/services.js';
import { type LatencySummary, median, round, summarize } from '../support/stats.js';
import { COPY_COLUMNS, csvRow, daysOf, generateEvents, type RawEvent, requestBodies } from './events.js';

/** Production mode must reach at least this fraction of the raw COPY rate. */
export const GOAL_RATIO = 0.5;
const WORKLOADS = [
  { batchSize: 1_000, events: 100_000 },
  { batchSize: 100, events: 100_000 },
] as const;
/** Rounds per workload and mode; figures are medians over rounds. */
const ROUNDS = 3;
const EMBEDDED_ROUNDS = 2;
/** Concurrent senders, each with its own keep-alive connection. */
const SENDERS = 8;
/** Rows per COPY statement of the raw ceiling. */
const COPY_BATCH = 10_000;
const POLL_MS = 20;
const COMMIT_TIMEOUT_MS = 120_000;

const RESULTS_PATH = fileURLToPath(new URL('../results/ingestion.json', import.meta.url));

interface IngestRound {
  readonly events: number;
  readonly seconds: number;
  readonly eventsPerSecond: number;
  /** Events per second answered with 202 (durable in the log), from the first send to the last answer. */
  readonly acceptedPerSecond: number;
  /** Rows committed when the last request was answered. */
  readonly committedAtLastAnswer: number;
  /** CPU time of the server process per event (API and writer), µs; undefined without /proc. */
  readonly serverCpuUsPerEvent: number | undefined;
  readonly latencyMs: LatencySummary;
}

interface CopyRound {
  readonly rows: number;
  readonly seconds: number;
  readonly rowsPerSecond: number;
}

interface WorkloadResult {
  readonly mode: 'production' | 'embedded';
  readonly batchSize: number;
  readonly events: number;
  readonly rounds: readonly IngestRound[];
  readonly eventsPerSecond: number;
  readonly acceptedPerSecond: number;
  /** Median over rounds; NaN without /proc. */
  readonly serverCpuUsPerEvent: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** The COPY ceiling measured in the same rounds (production) or the production one (embedded). */
  readonly copyRowsPerSecond: number;
  readonly ratio: number;
  /** Only production mode has a goal. */
  readonly pass: boolean | undefined;
  readonly copyRounds?: readonly CopyRound[];
}

/** One POST of a pre-serialised body on a keep-alive agent; resolves with status and body. */
function post(
  agent: http.Agent,
  url: URL,
  key: string,
  body: Buffer,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        agent,
        method: 'POST',
        headers: {
          authorization: `Bearer ${key}`,
          'content-type': 'application/json',
          'content-length': body.length,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString() }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

interface Target {
  readonly name: string;
  readonly url: string;
  readonly sdkKey: string;
  /** Rows in the events store now. */
  count(): Promise<number>;
  /** The server process's CPU time so far, ms. */
  cpuMs(): number | undefined;
}

/**
 * Sends the events in `batchSize` requests from `SENDERS` concurrent senders, then waits until
 * the store holds them all. Time runs from the first send to the poll that sees the total (polls
 * start once every request is answered: no row can be committed before its request arrived).
 */
async function ingest(target: Target, events: readonly RawEvent[], batchSize: number): Promise<IngestRound> {
  const bodies = requestBodies(events, batchSize);
  const url = new URL('/api/v1/events', target.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: SENDERS });
  const before = await target.count();
  const latencies: number[] = [];
  let next = 0;
  let accepted = 0;
  const cpuBefore = target.cpuMs();
  const started = performance.now();
  try {
    const sender = async () => {
      for (let index = next++; index < bodies.length; index = next++) {
        const body = bodies[index] as Buffer;
        const sent = performance.now();
        const response = await post(agent, url, target.sdkKey, body);
        latencies.push(performance.now() - sent);
        if (response.status !== 202) {
          throw new Error(`POST /api/v1/events answered ${response.status}: ${response.text.slice(0, 300)}`);
        }
        const result = JSON.parse(response.text) as { accepted: number; rejected: unknown[] };
        if (result.rejected.length > 0) {
          throw new Error(`events rejected: ${JSON.stringify(result.rejected.slice(0, 3))}`);
        }
        accepted += result.accepted;
      }
    };
    await Promise.all(Array.from({ length: SENDERS }, sender));
  } finally {
    agent.destroy();
  }
  const answered = performance.now();
  if (accepted !== events.length) throw new Error(`accepted ${accepted} of ${events.length} events`);
  const goal = before + events.length;
  let committedAtLastAnswer: number | undefined;
  for (;;) {
    const stored = await target.count();
    committedAtLastAnswer ??= stored - before;
    if (stored >= goal) break;
    if (performance.now() - started > COMMIT_TIMEOUT_MS) {
      throw new Error(`${target.name}: only ${stored - before} of ${events.length} events committed in time`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  const seconds = (performance.now() - started) / 1000;
  const cpuAfter = target.cpuMs();
  return {
    events: events.length,
    seconds: round(seconds, 3),
    eventsPerSecond: Math.round(events.length / seconds),
    acceptedPerSecond: Math.round(events.length / ((answered - started) / 1000)),
    committedAtLastAnswer: committedAtLastAnswer ?? 0,
    serverCpuUsPerEvent:
      cpuBefore === undefined || cpuAfter === undefined
        ? undefined
        : round(((cpuAfter - cpuBefore) * 1000) / events.length, 1),
    latencyMs: roundSummary(summarize(latencies)),
  };
}

function roundSummary(summary: LatencySummary): LatencySummary {
  return {
    count: summary.count,
    p50: round(summary.p50),
    p90: round(summary.p90),
    p99: round(summary.p99),
    max: round(summary.max),
  };
}

/** The day partitions the rows need, as the server's EventPartitions creates them. */
async function ensurePartitions(pool: pg.Pool, days: Iterable<string>): Promise<void> {
  for (const day of days) {
    const from = `${day}T00:00:00Z`;
    const to = new Date(Date.parse(from) + 86_400_000).toISOString();
    await pool
      .query(
        `create table if not exists events_${day.replaceAll('-', '')} partition of events for values from ('${from}') to ('${to}')`,
      )
      .catch((error: { code?: string }) => {
        if (error.code !== '42P07') throw error;
      });
  }
}

/** The raw ceiling: the same rows COPYed straight into `events`, `COPY_BATCH` rows a statement. */
async function copyCeiling(
  pool: pg.Pool,
  events: readonly RawEvent[],
  owner: { projectId: string; environmentId: string },
): Promise<CopyRound> {
  await ensurePartitions(pool, daysOf(events));
  const receivedAt = new Date().toISOString();
  const chunks: string[] = [];
  for (let start = 0; start < events.length; start += COPY_BATCH) {
    chunks.push(
      events
        .slice(start, start + COPY_BATCH)
        .map((event) => csvRow(event, owner, receivedAt))
        .join(''),
    );
  }
  const client = await pool.connect();
  try {
    const started = performance.now();
    for (const chunk of chunks) {
      await pipeline(
        Readable.from([chunk]),
        client.query(copyFrom(`copy events (${COPY_COLUMNS.join(', ')}) from stdin with (format csv)`)),
      );
    }
    const seconds = (performance.now() - started) / 1000;
    const { rows } = await client.query<{ count: string }>('select count(*) from events');
    if (Number(rows[0]?.count) !== events.length) {
      throw new Error(`COPY stored ${rows[0]?.count} rows, expected ${events.length}`);
    }
    return {
      rows: events.length,
      seconds: round(seconds, 3),
      rowsPerSecond: Math.round(events.length / seconds),
    };
  } finally {
    client.release();
  }
}

async function truncateEvents(pool: pg.Pool): Promise<void> {
  await pool.query('truncate events');
}

async function countPostgres(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ count: string }>('select count(*) from events');
  return Number(rows[0]?.count ?? 0);
}

async function deleteStream(name: string): Promise<void> {
  try {
    const connection = await connect({ servers: new URL(NATS_URL).host });
    try {
      const manager = await jetstreamManager(connection);
      await manager.streams.delete(name);
    } finally {
      await connection.close();
    }
  } catch (error) {
    console.error(`could not delete NATS stream ${name}: ${String(error)}`);
  }
}

function summarizeWorkload(
  mode: WorkloadResult['mode'],
  workload: (typeof WORKLOADS)[number],
  rounds: readonly IngestRound[],
  copyRowsPerSecond: number,
  copyRounds?: readonly CopyRound[],
): WorkloadResult {
  const eventsPerSecond = Math.round(median(rounds.map((entry) => entry.eventsPerSecond)));
  const ratio = round(eventsPerSecond / copyRowsPerSecond, 3);
  return {
    mode,
    batchSize: workload.batchSize,
    events: workload.events,
    rounds,
    eventsPerSecond,
    acceptedPerSecond: Math.round(median(rounds.map((entry) => entry.acceptedPerSecond))),
    serverCpuUsPerEvent: round(median(rounds.map((entry) => entry.serverCpuUsPerEvent ?? Number.NaN)), 1),
    p50Ms: round(median(rounds.map((entry) => entry.latencyMs.p50))),
    p99Ms: round(median(rounds.map((entry) => entry.latencyMs.p99))),
    copyRowsPerSecond,
    ratio,
    pass: mode === 'production' ? ratio >= GOAL_RATIO : undefined,
    ...(copyRounds && { copyRounds }),
  };
}

function logRound(
  mode: string,
  batchSize: number,
  index: number,
  ingestRound: IngestRound,
  copy?: CopyRound,
) {
  console.log(
    `  ${mode} batch ${batchSize} round ${index + 1}: ${ingestRound.eventsPerSecond} events/s (${ingestRound.seconds} s; accepted ${ingestRound.acceptedPerSecond}/s, ${ingestRound.committedAtLastAnswer} committed at the last answer), p99 ${ingestRound.latencyMs.p99} ms` +
      (copy ? `; COPY ${copy.rowsPerSecond} rows/s (${copy.seconds} s)` : ''),
  );
}

/**
 * NATS JetStream + PostgreSQL as production runs it: an API process and a writer process
 * (`CLEAVE_ROLES=api` / `worker`); the COPY ceiling in the same database.
 */
async function runProduction(): Promise<WorkloadResult[]> {
  const keys = bootstrapKeys();
  const stream = `BENCH_${randomSuffix().toUpperCase()}`;
  let database: TempDatabase | undefined;
  let server: BenchServer | undefined;
  let writer: BenchServer | undefined;
  let pool: pg.Pool | undefined;
  try {
    database = await createDatabase('cleave_bench_ingest');
    const env = {
      DATABASE_URL: database.url,
      NATS_URL,
      CLEAVE_NATS_STREAM: stream,
      // Budgets count events: the load generator is one client sending far beyond real traffic.
      CLEAVE_EVENTS_RATE_LIMIT: '1000000000',
      CLEAVE_EVENTS_RATE_LIMIT_PER_CLIENT: '1000000000',
      CLEAVE_INIT_SDK_KEY: keys.sdkKey,
    };
    // The API first: it migrates and provisions; the writer then finds both done.
    server = await startServer({ name: 'ingest-api', env: { ...env, CLEAVE_ROLES: 'api' } });
    writer = await startServer({ name: 'ingest-writer', env: { ...env, CLEAVE_ROLES: 'worker' } });
    const live = server;
    const liveWriter = writer;
    const openPool = new pg.Pool({ connectionString: database.url, max: 2 });
    pool = openPool;
    const target: Target = {
      name: 'production',
      url: server.url,
      sdkKey: keys.sdkKey,
      count: () => countPostgres(openPool),
      cpuMs: () => {
        const api = live.cpuMs();
        const worker = liveWriter.cpuMs();
        return api === undefined || worker === undefined ? undefined : api + worker;
      },
    };
    // Warm-up (JIT, connections, the day partition), and the project and environment the rows carry.
    await ingest(target, generateEvents(5_000), 1_000);
    const { rows } = await pool.query<{ project_id: string; environment_id: string }>(
      'select project_id, environment_id from events limit 1',
    );
    const owner = { projectId: rows[0]?.project_id ?? '', environmentId: rows[0]?.environment_id ?? '' };
    await truncateEvents(pool);
    const results: WorkloadResult[] = [];
    for (const workload of WORKLOADS) {
      const rounds: IngestRound[] = [];
      const copies: CopyRound[] = [];
      for (let index = 0; index < ROUNDS; index++) {
        // Fresh ids every round: the log would drop repeats inside its duplicate window.
        const events = generateEvents(workload.events);
        const ingestRound = await ingest(target, events, workload.batchSize);
        await truncateEvents(pool);
        const copy = await copyCeiling(pool, events, owner);
        await truncateEvents(pool);
        rounds.push(ingestRound);
        copies.push(copy);
        logRound('production', workload.batchSize, index, ingestRound, copy);
      }
      const copyRowsPerSecond = Math.round(median(copies.map((copy) => copy.rowsPerSecond)));
      results.push(summarizeWorkload('production', workload, rounds, copyRowsPerSecond, copies));
    }
    return results;
  } finally {
    await pool?.end().catch(() => {});
    await stopAll([server, writer]);
    await deleteStream(stream);
    await database?.drop();
  }
}

/** SQLite with group commit, no log: 202 means committed. Compared with the PostgreSQL ceiling. */
async function runEmbedded(copyCeilings: ReadonlyMap<number, number>): Promise<WorkloadResult[]> {
  const keys = bootstrapKeys();
  let dataDir: TempDir | undefined;
  let server: BenchServer | undefined;
  let sqlite: Sqlite.Database | undefined;
  try {
    dataDir = createTempDir('cleave-bench-ingest');
    server = await startServer({
      name: 'ingest-embedded',
      env: {
        CLEAVE_DATA_DIR: dataDir.path,
        // Budgets count events: the load generator is one client sending far beyond real traffic.
        CLEAVE_EVENTS_RATE_LIMIT: '1000000000',
        CLEAVE_EVENTS_RATE_LIMIT_PER_CLIENT: '1000000000',
        CLEAVE_INIT_SDK_KEY: keys.sdkKey,
      },
    });
    const live = server;
    const reader = new Sqlite(join(dataDir.path, 'cleave.db'), { readonly: true, fileMustExist: true });
    sqlite = reader;
    const counter = reader.prepare<[], { count: number }>('select count(*) as count from events');
    const target: Target = {
      name: 'embedded',
      url: server.url,
      sdkKey: keys.sdkKey,
      count: async () => counter.get()?.count ?? 0,
      cpuMs: () => live.cpuMs(),
    };
    await ingest(target, generateEvents(5_000), 1_000);
    const results: WorkloadResult[] = [];
    for (const workload of WORKLOADS) {
      const rounds: IngestRound[] = [];
      for (let index = 0; index < EMBEDDED_ROUNDS; index++) {
        const ingestRound = await ingest(target, generateEvents(workload.events), workload.batchSize);
        rounds.push(ingestRound);
        logRound('embedded', workload.batchSize, index, ingestRound);
      }
      const ceiling = copyCeilings.get(workload.batchSize) ?? Number.NaN;
      results.push(summarizeWorkload('embedded', workload, rounds, ceiling));
    }
    return results;
  } finally {
    sqlite?.close();
    await stopAll([server]);
    dataDir?.remove();
  }
}

async function run(): Promise<void> {
  console.log(
    `production (NATS JetStream + PostgreSQL COPY writer; API and writer processes), ${SENDERS} senders, ${ROUNDS} rounds…`,
  );
  const production = await runProduction();
  console.log(`embedded (SQLite group commit), ${EMBEDDED_ROUNDS} rounds…`);
  const embedded = await runEmbedded(
    new Map(production.map((result) => [result.batchSize, result.copyRowsPerSecond])),
  );
  const all = [...production, ...embedded];
  printTable(
    `Ingestion, HTTP in → rows committed (median of rounds; COPY ceiling = same rows COPYed into the same PostgreSQL, ${COPY_BATCH} per statement; goal ≥ ${GOAL_RATIO} of it)`,
    [
      'mode',
      'batch',
      'events',
      'events/s',
      'accepted/s',
      'server CPU µs/event',
      'p50 ms',
      'p99 ms',
      'COPY rows/s',
      'ratio',
      'goal',
    ],
    all.map((result) => [
      result.mode,
      String(result.batchSize),
      String(result.events),
      String(result.eventsPerSecond),
      String(result.acceptedPerSecond),
      Number.isFinite(result.serverCpuUsPerEvent) ? result.serverCpuUsPerEvent.toFixed(1) : '—',
      result.p50Ms.toFixed(1),
      result.p99Ms.toFixed(1),
      String(result.copyRowsPerSecond),
      result.ratio.toFixed(2),
      result.pass === undefined ? '(info)' : result.pass ? 'PASS' : 'FAIL',
    ]),
  );
  console.log(
    'events/s: HTTP in → rows committed (the goal’s figure); accepted/s: until the last 202 (events durable in the log, not yet in the table); server CPU: user+system time of the server process (API and writer) per event.',
  );
  console.log(
    'Note: the senders run in this process and share the machine’s cores with the server, NATS and PostgreSQL; the COPY ceiling runs without the server under load.',
  );
  writeResults(RESULTS_PATH, {
    suite: 'ingestion',
    goal: `production ingestion (HTTP → NATS JetStream → COPY writer → PostgreSQL) at least ${GOAL_RATIO} of raw COPY into the same database`,
    environment: describeEnvironment(),
    method: {
      ingest: `events pre-generated (60% exposures, 40% tracks, unique UUIDs, times in the last minute) and pre-serialised; ${SENDERS} concurrent senders POST /api/v1/events on keep-alive connections; time from the first send until select count(*) from events reaches the total (polled every ${POLL_MS} ms once every request is answered); latency per request`,
      copy: `the same rows (same columns and CSV encoding as the server's writer), pre-encoded, COPYed into the same database's events table over one connection, ${COPY_BATCH} rows per COPY statement, each its own transaction; events truncated before and after`,
      rounds: `production ${ROUNDS} rounds per batch size, ingest and COPY alternating in each round; embedded ${EMBEDDED_ROUNDS} rounds without truncation; reported figures are medians over rounds`,
    },
    results: all,
  });
  const failed = production.filter((result) => !result.pass).map((result) => `batch ${result.batchSize}`);
  console.log(
    failed.length === 0
      ? `\nProduction ingestion meets the ≥ ${GOAL_RATIO} × COPY goal. Results: bench/results/ingestion.json`
      : `\nBelow the goal: ${failed.join(', ')}. Results: bench/results/ingestion.json`,
  );
}

export const suite: Suite = {
  name: 'ingestion',
  description: 'events/s HTTP → committed rows (batches of 100 and 1,000) against raw COPY into PostgreSQL',
  run,
};
