/**
 * Zero-downtime upgrades, proven: the previous release's own server, checked out of this
 * repository's history (packages/server/src/adapters/sql/migrations/previous-release.json names its
 * commit), runs against a database this release migrated, while this release's server runs beside
 * it, as during a rolling upgrade. Each writes what the other reads.
 *
 * The previous release runs from its sources through tsx (its `@cleave/core` mapped to its own
 * core by a tsconfig `paths` entry), with this checkout's node_modules. A checkout without that
 * commit (a shallow clone) skips the test and says why.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../packages/server/src/test-support/databases.js';
import { type ServerProcess, startMain } from '../packages/server/src/test-support/server-process.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const previous = JSON.parse(
  readFileSync(path.join(ROOT, 'packages/server/src/adapters/sql/migrations/previous-release.json'), 'utf8'),
) as { version: string; commit: string; refusesUnknownMigrations?: boolean };
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const SETUP_CODE = 'PREVIOUS-RELEASE-SETUP-0001';
const PASSWORD = 'previous release password';

const available =
  spawnSync('git', ['cat-file', '-e', `${previous.commit}^{commit}`], { cwd: ROOT }).status === 0;
if (!available)
  console.warn(
    `previous-release compatibility skipped: commit ${previous.commit} (v${previous.version}) is not in this checkout (shallow clone?); fetch the history to run it`,
  );

/** The previous release's sources in a temporary folder, runnable with this checkout's packages. */
function checkOutPrevious(): string {
  const folder = mkdtempSync(path.join(tmpdir(), `cleave-v${previous.version}-`));
  const archive = spawnSync('git', ['archive', previous.commit, 'packages/core', 'packages/server'], {
    cwd: ROOT,
    maxBuffer: 256 * 1024 * 1024,
  });
  if (archive.status !== 0) throw new Error(`git archive failed: ${archive.stderr}`);
  const untar = spawnSync('tar', ['-x', '-C', folder], { input: archive.stdout });
  if (untar.status !== 0) throw new Error(`tar failed: ${untar.stderr}`);
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(folder, 'node_modules'));
  symlinkSync(
    path.join(ROOT, 'packages/server/node_modules'),
    path.join(folder, 'packages/server/node_modules'),
  );
  writeFileSync(
    path.join(folder, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        target: 'ES2022',
        paths: {
          '@cleave/core': ['./packages/core/src/index.ts'],
          '@cleave/core/evaluation': ['./packages/core/src/evaluation-entry.ts'],
        },
      },
    }),
  );
  return folder;
}

function startPrevious(
  folder: string,
  env: Record<string, string>,
): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, ['--import', TSX_LOADER, 'packages/server/src/main.ts'], {
    cwd: folder,
    env: {
      PATH: process.env.PATH ?? '',
      TSX_TSCONFIG_PATH: path.join(folder, 'tsconfig.json'),
      PORT: '0',
      HOST: '127.0.0.1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`v${previous.version} did not start:\n${output}`)),
      30_000,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /"url":"(http:\/\/[^"]+)"/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve({ child, url: match[1], output: () => output });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`v${previous.version} exited with ${code}:\n${output}`));
    });
  });
}

/** The migration names the release at `commit` knows, read from its migrations index. */
function migrationNamesAt(commit: string): Set<string> {
  const index = spawnSync('git', ['show', `${commit}:packages/server/src/adapters/sql/migrations/index.ts`], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (index.status !== 0) throw new Error(`git show failed: ${index.stderr}`);
  return new Set(
    [...index.stdout.matchAll(/'(\d{4}-\d{2}-\d{2}-\d{3}-[a-z0-9-]+)':/g)].map((match) => match[1] as string),
  );
}

interface MigrationRow {
  name: string;
  timestamp: string;
}

async function hideMigrationsUnknownTo(database: TestDatabase, known: Set<string>): Promise<MigrationRow[]> {
  const { rows } = await sql<MigrationRow>`select name, timestamp from kysely_migration`.execute(
    database.database.db,
  );
  const newer = rows.filter((row) => !known.has(row.name));
  for (const row of newer)
    await sql`delete from kysely_migration where name = ${row.name}`.execute(database.database.db);
  return newer;
}

async function restoreMigrations(database: TestDatabase, rows: MigrationRow[]): Promise<void> {
  for (const row of rows)
    await sql`insert into kysely_migration (name, timestamp) values (${row.name}, ${row.timestamp})`.execute(
      database.database.db,
    );
}

describe.skipIf(!available)(`the previous release (v${previous.version}) on this release's schema`, () => {
  let folder: string;
  let database: TestDatabase;
  let old: { child: ChildProcess; url: string; output: () => string };
  let current: ServerProcess;
  let session: string;
  let csrfToken = '';

  const call = async (base: string, method: string, route: string, body?: unknown, auth?: string) => {
    const response = await fetch(`${base}${route}`, {
      method,
      headers: {
        ...(body !== undefined && { 'content-type': 'application/json' }),
        ...(auth &&
          (auth.startsWith('clv_')
            ? { authorization: `Bearer ${auth}` }
            : { cookie: auth, 'x-csrf-token': csrfToken })),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
  };

  beforeAll(async () => {
    folder = checkOutPrevious();
    // This release migrates the database first, as the migration task does before the rollout.
    database = await createTestDatabase('postgres');
    const env = { DATABASE_URL: database.location, CLEAVE_SETUP_CODE: SETUP_CODE, LOG_LEVEL: 'info' };
    if (previous.refusesUnknownMigrations) {
      // v0.1.0 refuses to start where a migration it does not know has run (fixed since). What a
      // rolling upgrade needs is that its queries work on the new schema, so it starts with only
      // its own migrations in the bookkeeping table; the schema itself is this release's.
      const newer = await hideMigrationsUnknownTo(database, migrationNamesAt(previous.commit));
      try {
        old = await startPrevious(folder, env);
      } finally {
        await restoreMigrations(database, newer);
      }
    } else {
      old = await startPrevious(folder, env);
    }
    // This release from its sources too (no build needed): its tests' tsconfig maps @cleave/core.
    current = await startMain({ ...env, TSX_TSCONFIG_PATH: path.join(ROOT, 'tsconfig.tests.json') });
  }, 90_000);
  afterAll(async () => {
    old?.child.kill('SIGTERM');
    await current?.stop();
    await database?.destroy();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  it('starts without migrating anything', () => {
    const ready = old
      .output()
      .split('\n')
      .find((line) => line.includes('"database ready"'));
    expect(ready, old.output()).toBeDefined();
    expect(JSON.parse(ready as string).applied).toEqual([]);
  });

  it('serves people, flags, keys, evaluation, events and analysis, and this release reads what it wrote', async () => {
    const signUp = await call(old.url, 'POST', '/api/v1/auth/signup', {
      email: 'owner@example.com',
      name: 'Owner',
      password: PASSWORD,
      setupCode: SETUP_CODE,
    });
    expect(signUp.status, JSON.stringify(signUp.body)).toBe(201);
    const login = await fetch(`${old.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'owner@example.com', password: PASSWORD }),
    });
    expect(login.status).toBe(200);
    session = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
    csrfToken = ((await login.json()) as { csrfToken: string }).csrfToken;

    expect(
      (await call(old.url, 'POST', '/api/v1/projects', { key: 'shop', name: 'Shop' }, session)).status,
    ).toBe(201);
    const flag = {
      key: 'dark-mode',
      type: 'boolean',
      variants: [
        { key: 'on', value: true },
        { key: 'off', value: false },
      ],
      defaultVariant: 'on',
      offVariant: 'off',
      environments: { production: { enabled: true } },
    };
    expect((await call(old.url, 'POST', '/api/v1/projects/shop/flags', flag, session)).status).toBe(201);
    const key = await call(
      old.url,
      'POST',
      '/api/v1/projects/shop/api-keys',
      { name: 'server', kind: 'server', environment: 'production' },
      session,
    );
    expect(key.status).toBe(201);
    const secret = key.body.secret as string;

    // The new release evaluates what the old one configured, and the other way round.
    for (const base of [old.url, current.url]) {
      const evaluated = await call(
        base,
        'POST',
        '/ofrep/v1/evaluate/flags/dark-mode',
        { context: { targetingKey: 'u-1' } },
        secret,
      );
      expect(evaluated.status, base).toBe(200);
      expect(evaluated.body.value, base).toBe(true);
    }
    const newFlag = { ...flag, key: 'new-checkout', defaultVariant: 'off' };
    expect((await call(current.url, 'POST', '/api/v1/projects/shop/flags', newFlag, session)).status).toBe(
      201,
    );
    const fromOld = await call(
      old.url,
      'GET',
      '/api/v1/projects/shop/flags/new-checkout',
      undefined,
      session,
    );
    expect(fromOld.status).toBe(200);
    expect(fromOld.body.key).toBe('new-checkout');

    // Events accepted by the old release are stored, and an analysis it runs succeeds on them.
    const metric = { key: 'buys', type: 'proportion', numerator: { event: 'purchase' } };
    expect((await call(old.url, 'POST', '/api/v1/projects/shop/metrics', metric, session)).status).toBe(201);
    const experiment = {
      key: 'checkout',
      variations: [
        { key: 'control', weight: 0.5 },
        { key: 'treatment', weight: 0.5 },
      ],
      metrics: { primary: ['buys'] },
    };
    expect(
      (await call(old.url, 'POST', '/api/v1/projects/shop/experiments', experiment, session)).status,
    ).toBe(201);
    const timestamp = new Date(Date.now() - 60_000).toISOString();
    const events = Array.from({ length: 20 }, (_, index) => ({
      id: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
      type: 'track',
      unitId: `u-${index}`,
      event: 'purchase',
      timestamp,
    }));
    const sent = await call(old.url, 'POST', '/api/v1/events', { events }, secret);
    expect(sent.status, JSON.stringify(sent.body)).toBe(202);
    expect(sent.body.accepted).toBe(20);
    const requested = await call(
      old.url,
      'POST',
      '/api/v1/projects/shop/experiments/checkout/analysis',
      {},
      session,
    );
    expect(requested.status).toBe(202);
    let job = { status: 'queued' };
    for (let tries = 0; tries < 200 && job.status !== 'succeeded' && job.status !== 'failed'; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      job = (
        await call(
          current.url,
          'GET',
          `/api/v1/projects/shop/jobs/${requested.body.jobId}`,
          undefined,
          session,
        )
      ).body;
    }
    expect(job.status, JSON.stringify(job)).toBe('succeeded');
    const results = await call(
      current.url,
      'GET',
      '/api/v1/projects/shop/experiments/checkout/results',
      undefined,
      session,
    );
    expect(results.status, JSON.stringify(results.body)).toBe(200);
  });
});
