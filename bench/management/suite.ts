/**
 * @module The management suite: how a definition write's latency grows with the project.
 *
 * Three projects hold 100, 10,000 and 100,000 flags (seeded with bulk SQL, see seed.ts), and the
 * built server takes, one request at a time over HTTP, in rounds that visit the three projects in
 * turn (so the machine's noise, shared with other work, falls on every size alike):
 * - `create flag`: a new flag with a rule on a segment that a quarter of the project's flags use
 *   and a prerequisite on a seeded flag;
 * - `toggle flag`: one environment's kill switch of a flag;
 * - `update segment`: new conditions for that much-used segment.
 * Then, in more rounds, a client of an unrelated small project evaluates one flag over OFREP in a
 * loop while the writes run: its latency at each size shows whether a large project's writes stall
 * the others.
 * Goal: each operation's median at 10,000 and 100,000 flags within 2× of its median at 100 flags
 * measured in the same run, on SQLite (embedded) and PostgreSQL. The reported median is the median
 * of the rounds' medians. A write that validated the whole project grew with it (48 → 12
 * creates/s by 5,000 flags, before the references index).
 *
 * Results go to bench/results/management.json.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeEnvironment, printTable, type Suite, writeResults } from '../harness.js';
import { type BenchServer, startServer, stopAll } from '../support/server.js';
import { createDatabase, createTempDir, type TempDatabase, type TempDir } from '../support/services.js';
import { type LatencySummary, median, round, summarize } from '../support/stats.js';
import { postgresSeeder, SEED_SEGMENTS, type Seeder, seededFlagKey, sqliteSeeder } from './seed.js';

export const SIZES = [100, 10_000, 100_000] as const;
/** The most a median may grow over the 100-flag median. */
export const GOAL_RATIO = 2;
/** Unmeasured rounds first (JIT, connection pools, caches), in every project. */
const WARMUP_ROUNDS = 2;
const ROUNDS = 9;
/** Rounds of writes with the unrelated project's OFREP client running beside them. */
const BYSTANDER_ROUNDS = 5;
/** Operations of each kind per project and round. */
const OPERATIONS_PER_ROUND = 16;

const RESULTS_PATH = fileURLToPath(new URL('../results/management.json', import.meta.url));
const OWNER = { email: 'bench@example.com', password: 'management bench password' };

type Operation = 'create flag' | 'toggle flag' | 'update segment';
const OPERATION_NAMES: readonly Operation[] = ['create flag', 'toggle flag', 'update segment'];

interface SizeResult {
  readonly flags: number;
  /** The server process's CPU time per measured write (median over rounds), ms: steadier than wall time on a shared machine; on PostgreSQL the database's own work is not in it. */
  readonly serverCpuMsPerWrite: number | undefined;
  /** Per operation: percentiles over all measured requests, and `p50` the median of round medians. */
  readonly operations: Record<Operation, LatencySummary>;
  /** OFREP evaluations in an unrelated project while this size's writes ran (same statistics). */
  readonly bystanderOfrep: LatencySummary;
}

interface DialectResult {
  readonly dialect: 'sqlite' | 'postgres';
  readonly sizes: readonly SizeResult[];
  /** Median at each size over the median at 100 flags, per operation. */
  readonly ratios: Record<Operation, readonly number[]>;
  readonly pass: boolean;
}

/** JSON over fetch as a signed-in person (session cookie and CSRF token). */
interface Session {
  call<T>(method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown): Promise<T>;
}

async function signIn(baseUrl: string): Promise<Session> {
  const response = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(OWNER),
  });
  if (response.status !== 200) throw new Error(`sign-in: ${response.status} ${await response.text()}`);
  const { csrfToken } = (await response.json()) as { csrfToken: string };
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  return {
    async call<T>(method: string, path: string, body?: unknown): Promise<T> {
      const answer = await fetch(`${baseUrl}${path}`, {
        method,
        headers: {
          cookie,
          'x-csrf-token': csrfToken,
          ...(body !== undefined && { 'content-type': 'application/json' }),
        },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
      const text = await answer.text();
      if (answer.status >= 300) throw new Error(`${method} ${path}: ${answer.status} ${text}`);
      return (text === '' ? {} : JSON.parse(text)) as T;
    },
  };
}

/** One project of a given size and the state its operations carry from one to the next. */
interface MeasuredProject {
  readonly size: number;
  readonly path: string;
  readonly versions: Map<string, number>;
  segmentVersion: number;
  created: number;
  readonly latencies: Record<Operation, number[][]>;
  /** Server CPU ms per write, one figure per measured round. */
  readonly cpuPerWrite: number[];
  /** OFREP latencies in the unrelated project during this project's writes, per measured round. */
  readonly bystander: number[][];
}

/** Evaluates one flag of the unrelated project over OFREP, one request at a time, until stopped. */
function startBystander(baseUrl: string, serverKey: string, into: number[] | undefined) {
  let stopped = false;
  const running = (async () => {
    while (!stopped) {
      const started = performance.now();
      const response = await fetch(`${baseUrl}/ofrep/v1/evaluate/flags/${BYSTANDER_FLAG}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${serverKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ context: { targetingKey: 'user-1' } }),
      });
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`bystander OFREP: ${response.status}`);
      into?.push(performance.now() - started);
    }
  })();
  return async () => {
    stopped = true;
    await running;
  };
}

const BYSTANDER_FLAG = 'banner';

/** A small project of its own with one flag and a server key, as another team would have. */
async function createBystander(session: Session): Promise<string> {
  await session.call('POST', '/api/v1/projects', { key: 'bystander', name: 'Bystander' });
  await session.call('POST', '/api/v1/projects/bystander/flags', {
    key: BYSTANDER_FLAG,
    type: 'boolean',
    variants: [
      { key: 'on', value: true },
      { key: 'off', value: false },
    ],
    defaultVariant: 'on',
    offVariant: 'off',
    environments: { production: { enabled: true } },
  });
  const key = await session.call<{ secret: string }>('POST', '/api/v1/projects/bystander/api-keys', {
    name: 'bench',
    kind: 'server',
    environment: 'production',
  });
  return key.secret;
}

async function timed<T>(latencies: number[] | undefined, call: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await call();
  latencies?.push(performance.now() - started);
  return result;
}

/** One round of every operation in one project; `record` false for warm-up rounds. */
async function runRound(session: Session, project: MeasuredProject, record: boolean): Promise<void> {
  const round: Record<Operation, number[]> = { 'create flag': [], 'toggle flag': [], 'update segment': [] };
  const into = (operation: Operation) => (record ? round[operation] : undefined);
  for (let index = 0; index < OPERATIONS_PER_ROUND; index++) {
    const key = `bench-${project.created++}`;
    const created = await timed(into('create flag'), () =>
      session.call<{ version: number }>('POST', `${project.path}/flags`, {
        key,
        type: 'boolean',
        variants: [
          { key: 'on', value: true },
          { key: 'off', value: false },
        ],
        defaultVariant: 'off',
        offVariant: 'off',
        environments: {
          production: {
            enabled: true,
            prerequisites: [{ flagKey: seededFlagKey(0), variants: ['on'] }],
            rules: [{ id: 'eu', type: 'force', variant: 'on', conditions: [{ segment: SEED_SEGMENTS[0] }] }],
          },
        },
      }),
    );
    project.versions.set(key, created.version);
  }
  const keys = [...project.versions.keys()];
  for (let index = 0; index < OPERATIONS_PER_ROUND; index++) {
    const key = keys[index % keys.length] as string;
    const toggled = await timed(into('toggle flag'), () =>
      session.call<{ version: number }>(
        'POST',
        `${project.path}/flags/${key}/environments/production/toggle`,
        {
          enabled: index % 2 === 0,
          version: project.versions.get(key),
        },
      ),
    );
    project.versions.set(key, toggled.version);
  }
  for (let index = 0; index < OPERATIONS_PER_ROUND; index++) {
    const updated = await timed(into('update segment'), () =>
      session.call<{ version: number }>('PATCH', `${project.path}/segments/${SEED_SEGMENTS[0]}`, {
        conditions: [
          { attribute: 'country', operator: 'in', value: ['NL', 'BE', index % 2 === 0 ? 'DE' : 'FR'] },
        ],
        version: project.segmentVersion,
      }),
    );
    project.segmentVersion = updated.version;
  }
  if (record) for (const operation of OPERATION_NAMES) project.latencies[operation].push(round[operation]);
}

async function seedAndMeasure(
  dialect: DialectResult['dialect'],
  server: BenchServer,
  seeder: (target: { projectId: string; environmentKeys: string[] }) => Seeder,
): Promise<DialectResult> {
  const session = await signIn(server.url);
  const projects: MeasuredProject[] = [];
  for (const size of SIZES) {
    const key = `flags-${size}`;
    const created = await session.call<{ id: string; environments: { key: string }[] }>(
      'POST',
      '/api/v1/projects',
      { key, name: `${size.toLocaleString('en')} flags` },
    );
    const seed = seeder({
      projectId: created.id,
      environmentKeys: created.environments.map((environment) => environment.key),
    });
    const started = performance.now();
    try {
      await seed.seed(0, size);
    } finally {
      await seed.close();
    }
    console.log(
      `${dialect}: project of ${size.toLocaleString('en')} flags seeded (${((performance.now() - started) / 1000).toFixed(1)} s)`,
    );
    const path = `/api/v1/projects/${key}`;
    const segment = await session.call<{ version: number }>('GET', `${path}/segments/${SEED_SEGMENTS[0]}`);
    projects.push({
      size,
      path,
      versions: new Map(),
      segmentVersion: segment.version,
      created: 0,
      latencies: { 'create flag': [], 'toggle flag': [], 'update segment': [] },
      cpuPerWrite: [],
      bystander: [],
    });
  }
  // Writes alone first: their latency and the server's CPU time per write, uncontaminated.
  for (let round = 0; round < WARMUP_ROUNDS + ROUNDS; round++) {
    const measured = round >= WARMUP_ROUNDS;
    for (const project of projects) {
      const cpuBefore = server.cpuMs();
      await runRound(session, project, measured);
      const cpuAfter = server.cpuMs();
      if (measured && cpuBefore !== undefined && cpuAfter !== undefined)
        project.cpuPerWrite.push((cpuAfter - cpuBefore) / (OPERATIONS_PER_ROUND * OPERATION_NAMES.length));
    }
  }
  // Then the same writes with the unrelated project's client evaluating throughout.
  const bystanderKey = await createBystander(session);
  for (let round = 0; round < BYSTANDER_ROUNDS; round++) {
    for (const project of projects) {
      const bystander: number[] = [];
      const stopBystander = startBystander(server.url, bystanderKey, bystander);
      try {
        await runRound(session, project, false);
      } finally {
        await stopBystander();
      }
      project.bystander.push(bystander);
    }
  }
  const sizes: SizeResult[] = projects.map((project) => ({
    flags: project.size,
    serverCpuMsPerWrite: project.cpuPerWrite.length > 0 ? round(median(project.cpuPerWrite), 2) : undefined,
    operations: Object.fromEntries(
      OPERATION_NAMES.map((operation) => {
        const rounds = project.latencies[operation];
        const all = summarize(rounds.flat());
        return [operation, { ...all, p50: median(rounds.map((values) => median(values))) }];
      }),
    ) as Record<Operation, LatencySummary>,
    bystanderOfrep: {
      ...summarize(project.bystander.flat()),
      p50: median(project.bystander.map((values) => median(values))),
    },
  }));
  const first = sizes[0] as SizeResult;
  const ratios = Object.fromEntries(
    OPERATION_NAMES.map((operation) => [
      operation,
      sizes.map((entry) => round(entry.operations[operation].p50 / first.operations[operation].p50, 2)),
    ]),
  ) as Record<Operation, number[]>;
  const pass = Object.values(ratios).every((values) => values.every((ratio) => ratio <= GOAL_RATIO));
  return { dialect, sizes, ratios, pass };
}

const OWNER_ENV = { CLEAVE_INIT_ADMIN_EMAIL: OWNER.email, CLEAVE_INIT_ADMIN_PASSWORD: OWNER.password };

async function runSqlite(): Promise<DialectResult> {
  let dataDir: TempDir | undefined;
  let server: BenchServer | undefined;
  try {
    dataDir = createTempDir('cleave-bench-management');
    server = await startServer({
      name: 'management-sqlite',
      env: { CLEAVE_DATA_DIR: dataDir.path, ...OWNER_ENV },
    });
    const file = join(dataDir.path, 'cleave.db');
    const running = server;
    return await seedAndMeasure('sqlite', running, (target) => sqliteSeeder(file, target));
  } finally {
    await stopAll([server]);
    dataDir?.remove();
  }
}

async function runPostgres(): Promise<DialectResult> {
  let database: TempDatabase | undefined;
  let server: BenchServer | undefined;
  try {
    database = await createDatabase('cleave_bench_management');
    server = await startServer({
      name: 'management-postgres',
      env: { DATABASE_URL: database.url, ...OWNER_ENV },
    });
    const url = database.url;
    const running = server;
    return await seedAndMeasure('postgres', running, (target) => postgresSeeder(url, target));
  } finally {
    await stopAll([server]);
    await database?.drop();
  }
}

const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(1) : '—');

async function run(): Promise<void> {
  const results = [await runSqlite(), await runPostgres()];
  for (const result of results) {
    printTable(
      `${result.dialect}: write latency by project size, ms (median of ${ROUNDS} round medians / p90 of all), and median ÷ median at 100 flags (goal ≤ ${GOAL_RATIO})`,
      ['operation', ...result.sizes.map((size) => `${size.flags.toLocaleString('en')} flags`), 'ratios'],
      [
        ...OPERATION_NAMES.map((operation) => [
          operation,
          ...result.sizes.map(
            (size) => `${ms(size.operations[operation].p50)} / ${ms(size.operations[operation].p90)}`,
          ),
          result.ratios[operation].map((ratio) => ratio.toFixed(2)).join(' · '),
        ]),
        [
          'bystander OFREP (other project)',
          ...result.sizes.map((size) => `${ms(size.bystanderOfrep.p50)} / ${ms(size.bystanderOfrep.p90)}`),
          result.sizes
            .map((size) =>
              (size.bystanderOfrep.p50 / (result.sizes[0]?.bystanderOfrep.p50 ?? Number.NaN)).toFixed(2),
            )
            .join(' · '),
        ],
        [
          'server CPU ms/write',
          ...result.sizes.map((size) =>
            size.serverCpuMsPerWrite === undefined ? '—' : size.serverCpuMsPerWrite.toFixed(2),
          ),
          '',
        ],
      ],
    );
  }
  writeResults(RESULTS_PATH, {
    suite: 'management',
    goal: `median write latency at 10,000 and 100,000 flags within ${GOAL_RATIO}× of the 100-flag median, measured in the same run, on SQLite and PostgreSQL`,
    environment: describeEnvironment(),
    method: `three projects seeded by bulk SQL with ${SIZES.join(', ')} flags (each a rule on one of ${SEED_SEGMENTS.length} shared segments, a prerequisite every tenth, references indexed); ${WARMUP_ROUNDS} warm-up and ${ROUNDS} measured rounds, each visiting the projects in turn with ${OPERATIONS_PER_ROUND} flag creates (rule on a segment a quarter of the flags use, prerequisite on a seeded flag), ${OPERATIONS_PER_ROUND} toggles and ${OPERATIONS_PER_ROUND} updates of that segment, one request at a time over HTTP as a signed-in owner, against the built server at its default log level, then ${BYSTANDER_ROUNDS} more rounds while a client of an unrelated project evaluates one flag over OFREP in a loop (its latency reported; the writes of those rounds not); median = median of the round medians`,
    results,
  });
  const failed = results.filter((result) => !result.pass).map((result) => result.dialect);
  console.log(
    failed.length === 0
      ? `\nFlat on both databases (every ratio ≤ ${GOAL_RATIO}). Results: bench/results/management.json`
      : `\nAbove ${GOAL_RATIO}× on: ${failed.join(', ')}. Results: bench/results/management.json`,
  );
}

export const suite: Suite = {
  name: 'management',
  description:
    'definition write latency at 100, 10,000 and 100,000 flags in one project (SQLite, PostgreSQL)',
  run,
};
