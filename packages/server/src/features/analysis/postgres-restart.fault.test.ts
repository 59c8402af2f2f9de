import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analysisQueriesFor } from '../../adapters/analysis-queries-for.js';
import { connectPostgres } from '../../adapters/postgres/connect.js';
import { migrateToLatest } from '../../adapters/sql/migrate.js';
import type { AnalysisQueries } from '../../ports/analysis-queries.js';
import { type PostgresServer, startPostgresServer } from '../../test-support/postgres-server.js';
import { type Credentials, createTestApp, type TestApp } from '../../test-support/test-app.js';
import { KyselyJobStore } from './job-store.js';

const base = '/api/v1/projects/shop';

/**
 * PostgreSQL crashes (`pg_ctl stop -m immediate`) while an analysis job is half-way through its
 * queries, and comes back: the job's attempt fails (and cannot even record that it failed), the
 * queue retries it, the retry claims the job its failed attempt left running, and the results it
 * stores equal those of an analysis of the same events before the crash.
 */
describe('PostgreSQL restart during an analysis job (own PostgreSQL)', () => {
  let postgres: PostgresServer;
  let test: TestApp;
  let owner: Credentials;
  /** While set, the next analysis query waits here: the job is mid-way when the test crashes PostgreSQL. */
  let hold: { entered: () => void; release: Promise<void> } | undefined;

  beforeAll(async () => {
    postgres = await startPostgresServer();
    const database = connectPostgres(postgres.url, { maxConnections: 4 });
    await migrateToLatest(database);
    const real = analysisQueriesFor(database);
    const queries: AnalysisQueries = {
      exposures: (scope) => real.exposures(scope),
      metricSums: (scope, metrics) => real.metricSums(scope, metrics),
      analysis: async (scope, metrics) => {
        const held = hold;
        hold = undefined;
        if (held) {
          held.entered();
          await held.release;
        }
        return real.analysis(scope, metrics);
      },
      dimensionSums: (scope, metrics, dimension) => real.dimensionSums(scope, metrics, dimension),
      dailySums: (scope, metrics, totals) => real.dailySums(scope, metrics, totals),
    };
    test = await createTestApp('postgres', {
      database: { database, location: postgres.url, destroy: () => database.close() },
      analysisQueries: queries,
      // Retries a second apart, doubling: the outage below lasts about three seconds.
      jobRetries: { backoffMs: 1_000, maxAttempts: 5 },
    });
    owner = await test.signUpOwner();
    await test.createProject(owner);
    const post = async (url: string, payload: Record<string, unknown>) => {
      const response = await test.request({ method: 'POST', url, payload }, owner);
      expect(response.statusCode, response.body).toBeLessThan(300);
    };
    await post(`${base}/metrics`, { key: 'buys', type: 'proportion', numerator: { event: 'purchase' } });
    await post(`${base}/experiments`, {
      key: 'checkout',
      variations: [
        { key: 'control', weight: 0.5 },
        { key: 'treatment', weight: 0.5 },
      ],
      metrics: { primary: ['buys'] },
    });
    const sdk = await test.environmentKey(owner, { kind: 'server' });
    const start = Date.now() - 3 * 3_600_000;
    const events = Array.from({ length: 400 }, (_, unit) => {
      const variant = unit % 2 === 0 ? 'control' : 'treatment';
      const exposedAt = new Date(start + unit * 1_000).toISOString();
      const exposure = {
        id: randomUUID(),
        type: 'exposure',
        unitId: `u-${unit}`,
        experiment: 'checkout',
        variant,
        timestamp: exposedAt,
      };
      // Treatment converts more often: 1 in 3 against 1 in 5.
      const buys = unit % (variant === 'control' ? 10 : 6) < 2;
      const purchase = {
        id: randomUUID(),
        type: 'track',
        unitId: `u-${unit}`,
        event: 'purchase',
        timestamp: new Date(start + unit * 1_000 + 60_000).toISOString(),
      };
      return buys ? [exposure, purchase] : [exposure];
    }).flat();
    const sent = await test.request({ method: 'POST', url: '/api/v1/events', payload: { events } }, sdk);
    expect(sent.json().rejected).toEqual([]);
  }, 120_000);

  afterAll(async () => {
    await test?.close();
    await postgres?.destroy();
  }, 60_000);

  const analyse = () => test.request({ method: 'POST', url: `${base}/experiments/checkout/analysis` }, owner);
  const job = async (id: string) =>
    (await test.request({ method: 'GET', url: `${base}/jobs/${id}` }, owner)).json() as {
      status: string;
      error?: string;
    };
  const finished = async (id: string) => {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const state = await job(id).catch(() => undefined);
      if (state && (state.status === 'succeeded' || state.status === 'failed')) return state;
      if (Date.now() > deadline) throw new Error(`job ${id} did not finish: ${JSON.stringify(state)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };
  const results = async () =>
    (await test.request({ method: 'GET', url: `${base}/experiments/checkout/results` }, owner)).json();

  it('retries the job after PostgreSQL comes back, and stores the same results as before the crash', async () => {
    const before = await analyse();
    expect((await finished(before.json().jobId)).status).toBe('succeeded');
    const expected = await results();
    expect(expected.health.units).toEqual({ control: 200, treatment: 200 });

    let entered = () => {};
    const inside = new Promise<void>((resolve) => {
      entered = resolve;
    });
    let release = () => {};
    hold = {
      entered,
      release: new Promise<void>((resolve) => {
        release = resolve;
      }),
    };
    const requested = await analyse();
    expect(requested.statusCode).toBe(202);
    const jobId = requested.json().jobId as string;
    await inside;
    await postgres.crash();
    // The attempt runs its queries against a dead server, fails, and cannot record the failure.
    release();
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    await postgres.start();

    const done = await finished(jobId);
    expect(done.status, JSON.stringify(done)).toBe('succeeded');
    const stored = await new KyselyJobStore(test.database.database.db).get(jobId);
    expect(stored?.attempts).toBeGreaterThanOrEqual(2);
    // The metrics saw it too: a retried attempt, no failed job.
    const attempts = (await test.telemetry.analysisJobSeconds.get()).values.filter(
      (value) => value.metricName === 'cleave_analysis_job_seconds_count',
    );
    const count = (outcome: string) => attempts.find((value) => value.labels.outcome === outcome)?.value ?? 0;
    expect(count('retried')).toBeGreaterThanOrEqual(1);
    expect(count('succeeded')).toBe(2);
    expect(count('failed')).toBe(0);
    const after = await results();
    expect(after.computedAt).not.toBe(expected.computedAt);
    // Same events, same statistics: everything but when it was computed.
    const { computedAt: _a, snapshotId: _b, period: _c, ...same } = after;
    const { computedAt: _d, snapshotId: _e, period: _f, ...expectedSame } = expected;
    expect(same).toEqual(expectedSame);
  }, 120_000);

  it('replaces a job its worker left running past the lease instead of joining it forever', async () => {
    const store = new KyselyJobStore(test.database.database.db);
    const project = await test.services.projects.findProjectByKey('shop');
    if (!project) throw new Error('no project');
    const production = await test.services.projects.environmentByKey(project, 'production');
    const longAgo = new Date(Date.now() - 60 * 60_000).toISOString();
    const orphan = await store.create(
      {
        id: randomUUID(),
        projectId: project.id,
        type: 'experiment-analysis',
        experimentKey: 'checkout',
        environmentId: production.id,
      },
      longAgo,
    );
    expect(await store.claim(orphan.id, longAgo, longAgo)).toBe('claimed');
    const requested = await analyse();
    const jobId = requested.json().jobId as string;
    expect(jobId).not.toBe(orphan.id);
    expect((await finished(jobId)).status).toBe('succeeded');
    expect(await store.get(orphan.id)).toMatchObject({
      status: 'failed',
      error: expect.stringContaining('stopped'),
    });
  });
});
