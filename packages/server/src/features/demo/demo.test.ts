import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../runtime/config.js';
import { type ServerProcess, startMain } from '../../test-support/server-process.js';

const SETUP_CODE = 'demo-test-setup-code';
const OWNER = { name: 'Olivia', email: 'olivia@example.com', password: 'correct horse battery' };

interface Session {
  headers: Record<string, string>;
}

async function signUp(url: string): Promise<Session> {
  const response = await fetch(`${url}/api/v1/auth/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...OWNER, setupCode: SETUP_CODE }),
  });
  expect(response.status).toBe(201);
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const session = await (await fetch(`${url}/api/v1/auth/session`, { headers: { cookie } })).json();
  return { headers: { cookie, 'x-csrf-token': session.csrfToken } };
}

async function getJson(url: string, as: Session) {
  const response = await fetch(url, { headers: as.headers });
  return { status: response.status, body: await response.json() };
}

type Comparison = { variant: string; pValue: number | null; estimate: number | null; verdict: string };
type MetricResult = { metric: string; role: string; comparisons: Comparison[]; series: unknown[] };

describe('the demo project on a fresh embedded store', () => {
  let dataDir: string;
  let server: ServerProcess;
  let owner: Session;
  let seededInMs: number;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'cleave-demo-'));
    server = await startMain({ CLEAVE_DATA_DIR: dataDir, CLEAVE_SETUP_CODE: SETUP_CODE, CLEAVE_DEMO: 'on' });
    const line = server
      .output()
      .split('\n')
      .find((candidate) => candidate.includes('seeded the demo project'));
    seededInMs = JSON.parse(line ?? '{}').ms;
    owner = await signUp(server.url);
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('is seeded before the server says where it runs, and the first owner sees it', async () => {
    // Measured by the server from before the seed to its results; the log line says it.
    expect(seededInMs).toBeGreaterThan(0);
    const projects = await getJson(`${server.url}/api/v1/projects`, owner);
    expect(projects.body.items).toEqual([expect.objectContaining({ key: 'demo', name: 'Demo — Acme Shop' })]);
    expect((await getJson(`${server.url}/api/v1/demo`, owner)).body).toEqual({
      project: { key: 'demo', name: 'Demo — Acme Shop' },
    });
    const flags = await getJson(`${server.url}/api/v1/projects/demo/flags?limit=50`, owner);
    expect(flags.body.items.map((flag: { key: string }) => flag.key).sort()).toEqual([
      'checkout-flow',
      'dark-mode',
      'free-shipping-banner',
      'homepage-hero',
    ]);
  });

  it('has a checkout experiment, running for two weeks, whose results show a real effect', async () => {
    const experiment = await getJson(
      `${server.url}/api/v1/projects/demo/experiments/one-page-checkout`,
      owner,
    );
    expect(experiment.body.status).toBe('running');
    const startedAt = Date.parse(experiment.body.phases[0].startedAt);
    expect((Date.now() - startedAt) / 86_400_000).toBeCloseTo(14, 0);

    const results = await getJson(
      `${server.url}/api/v1/projects/demo/experiments/one-page-checkout/results`,
      owner,
    );
    expect(results.status).toBe(200);
    const metrics: MetricResult[] = results.body.metrics;
    expect(metrics.map((metric) => [metric.metric, metric.role])).toEqual([
      ['checkout-conversion', 'primary'],
      ['revenue-per-visitor', 'secondary'],
      ['page-errors', 'guardrail'],
    ]);
    const conversion = metrics[0]?.comparisons[0] as Comparison;
    expect(conversion.verdict).toBe('win');
    expect(conversion.pValue).toBeLessThan(0.05);
    expect(results.body.health.srm.flagged).toBe(false);
    const units = Object.values(results.body.health.units as Record<string, number>);
    expect(units.reduce((total, count) => total + count, 0)).toBeGreaterThan(5_000);
    // Fourteen days of history, one point per day (give or take the partial days at each end).
    expect(metrics[0]?.series.length).toBeGreaterThanOrEqual(14);
  });

  it('has an A/A experiment whose results show no effect', async () => {
    const results = await getJson(
      `${server.url}/api/v1/projects/demo/experiments/homepage-hero-aa/results`,
      owner,
    );
    expect(results.status).toBe(200);
    const comparison = results.body.metrics[0].comparisons[0] as Comparison;
    expect(comparison.verdict).toBe('inconclusive');
    expect(comparison.pValue).toBeGreaterThan(0.05);
  });

  it('writes a server key for npm run demo:traffic, readable by its owner only', async () => {
    const keyFile = path.join(dataDir, 'demo-key');
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
  });

  it('is removed in one action with its flags, experiments, key and events', async () => {
    const refused = await fetch(`${server.url}/api/v1/demo`, {
      method: 'DELETE',
      headers: { cookie: owner.headers.cookie ?? '' },
    });
    expect(refused.status).toBe(403);
    const removed = await fetch(`${server.url}/api/v1/demo`, { method: 'DELETE', headers: owner.headers });
    expect(removed.status).toBe(204);
    expect((await getJson(`${server.url}/api/v1/projects`, owner)).body.items).toEqual([]);
    const gone = await getJson(`${server.url}/api/v1/demo`, owner);
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBeTypeOf('string');
    await expect(stat(path.join(dataDir, 'demo-key'))).rejects.toThrow(/ENOENT/);
    const database = new Database(path.join(dataDir, 'cleave.db'), { readonly: true });
    try {
      const count = (table: string) =>
        (database.prepare(`select count(*) as count from ${table}`).get() as { count: number }).count;
      expect(count('events')).toBe(0);
      expect(count('flags')).toBe(0);
      expect(count('experiments')).toBe(0);
      expect(count('analysis_snapshots')).toBe(0);
      expect(count('api_keys')).toBe(0);
    } finally {
      database.close();
    }
    const again = await fetch(`${server.url}/api/v1/demo`, { method: 'DELETE', headers: owner.headers });
    expect(again.status).toBe(404);
  });

  it('is not seeded again once the instance has an account', async () => {
    await server.stop();
    server = await startMain({ CLEAVE_DATA_DIR: dataDir, CLEAVE_SETUP_CODE: SETUP_CODE, CLEAVE_DEMO: 'on' });
    expect(server.output()).not.toContain('seeded the demo project');
  }, 30_000);
});

describe('when the demo is seeded', () => {
  it('only on embedded stores, and never with CLEAVE_DEMO=off', () => {
    expect(loadConfig({}).demo).toBe(true);
    expect(loadConfig({ CLEAVE_DEMO: 'off' }).demo).toBe(false);
    expect(loadConfig({ DATABASE_URL: 'postgres://localhost/cleave' }).demo).toBe(false);
    expect(() => loadConfig({ CLEAVE_DEMO: 'maybe' })).toThrow(/CLEAVE_DEMO/);
  });
});
