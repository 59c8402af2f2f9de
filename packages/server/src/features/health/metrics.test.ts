import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test-support/databases.js';
import { connectSse } from '../../test-support/sse-client.js';
import { type Credentials, createTestApp, type TestApp } from '../../test-support/test-app.js';
import { KyselyJobStore } from '../analysis/job-store.js';

/** Every sample of a Prometheus text exposition, `name{labels}` → value. */
function samples(text: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const cut = line.lastIndexOf(' ');
    values.set(line.slice(0, cut), Number(line.slice(cut + 1)));
  }
  return values;
}

describe.each(DIALECTS)('/metrics tells the truth (%s, embedded event log)', (dialect) => {
  let test: TestApp;
  let owner: Credentials;
  let server: Credentials;

  const scrape = async () => {
    const response = await test.request({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    return samples(response.body);
  };

  beforeAll(async () => {
    // Process metrics on, as in production.
    test = await createTestApp(dialect, { processMetrics: true });
    owner = await test.signUpOwner();
    await test.createProject(owner, 'shop');
    const flag = await test.request(
      {
        method: 'POST',
        url: '/api/v1/projects/shop/flags',
        payload: {
          key: 'dark-mode',
          type: 'boolean',
          variants: [
            { key: 'on', value: true },
            { key: 'off', value: false },
          ],
          defaultVariant: 'off',
          offVariant: 'off',
          environments: { production: { enabled: true } },
        },
      },
      owner,
    );
    expect(flag.statusCode, flag.body).toBe(201);
    server = await test.environmentKey(owner, { kind: 'server' });
  });
  afterAll(async () => {
    await test?.close();
  });

  it('has no NaN, infinite or absurd value, even when scraped twice in a row', async () => {
    for (const values of [await scrape(), await scrape()]) {
      expect(values.size).toBeGreaterThan(20);
      for (const [name, value] of values) {
        expect(Number.isFinite(value), `${name} ${value}`).toBe(true);
        // A lag, duration or size of 10^9 seconds or more is a sentinel, not a measurement.
        if (name.includes('eventloop')) expect(value, name).toBeLessThan(1e6);
      }
    }
  });

  it('counts events committed by the embedded store as the writer’s rows and commits', async () => {
    const before = await scrape();
    const sdk = await test.environmentKey(owner);
    const timestamp = new Date().toISOString();
    const events = Array.from({ length: 7 }, () => ({
      id: randomUUID(),
      type: 'track',
      unitId: 'u-1',
      event: 'purchase',
      timestamp,
    }));
    const sent = await test.request({ method: 'POST', url: '/api/v1/events', payload: { events } }, sdk);
    expect(sent.json()).toMatchObject({ accepted: 7 });
    // The same batch again: duplicates, committed as no new rows.
    await test.request({ method: 'POST', url: '/api/v1/events', payload: { events } }, sdk);
    const after = await scrape();
    const delta = (name: string) => (after.get(name) ?? 0) - (before.get(name) ?? 0);
    expect(delta('cleave_events_accepted_total')).toBe(7);
    expect(delta('cleave_event_writer_rows_total')).toBe(7);
    expect(delta('cleave_event_writer_batches_total{outcome="committed"}')).toBe(2);
    expect(delta('cleave_event_writer_batch_seconds_count')).toBe(2);
    expect(after.get('cleave_event_writer_lag_events')).toBe(0);
  });

  it('counts server-side evaluations by project, flag and reason, naming no unknown key', async () => {
    const context = { targetingKey: 'u-1' };
    const remote = await test.request(
      { method: 'POST', url: '/api/v1/evaluate', payload: { context } },
      server,
    );
    expect(remote.statusCode).toBe(200);
    await test.request(
      { method: 'POST', url: '/ofrep/v1/evaluate/flags/dark-mode', payload: { context } },
      server,
    );
    await test.request({ method: 'POST', url: '/ofrep/v1/evaluate/flags', payload: { context } }, server);
    const missing = await test.request(
      { method: 'POST', url: '/ofrep/v1/evaluate/flags/no-such-flag-x1', payload: { context } },
      server,
    );
    expect(missing.statusCode).toBe(404);
    const values = await scrape();
    const reason = remote.json().flags[0].reason as string;
    expect(
      values.get(`cleave_flag_evaluations_total{project="shop",flag="dark-mode",reason="${reason}"}`),
    ).toBe(3);
    expect(values.get('cleave_flag_evaluations_total{project="shop",flag="_unknown",reason="ERROR"}')).toBe(
      1,
    );
    expect([...values.keys()].some((name) => name.includes('no-such-flag'))).toBe(false);
  });

  it('times analysis jobs by outcome and counts the ones that fail', async () => {
    const before = await scrape();
    const metric = await test.request(
      {
        method: 'POST',
        url: '/api/v1/projects/shop/metrics',
        payload: { key: 'buys', type: 'proportion', numerator: { event: 'purchase' } },
      },
      owner,
    );
    expect(metric.statusCode, metric.body).toBe(201);
    const experiment = await test.request(
      {
        method: 'POST',
        url: '/api/v1/projects/shop/experiments',
        payload: {
          key: 'checkout',
          variations: [
            { key: 'control', weight: 0.5 },
            { key: 'treatment', weight: 0.5 },
          ],
          metrics: { primary: ['buys'] },
        },
      },
      owner,
    );
    expect(experiment.statusCode, experiment.body).toBe(201);
    const requested = await test.request(
      { method: 'POST', url: '/api/v1/projects/shop/experiments/checkout/analysis' },
      owner,
    );
    expect(requested.statusCode, requested.body).toBe(202);
    expect((await finished(requested.json().jobId)).status).toBe('succeeded');

    // A job whose experiment does not exist fails permanently, on its first attempt.
    const project = await test.services.projects.findProjectByKey('shop');
    if (!project) throw new Error('no project');
    const production = await test.services.projects.environmentByKey(project, 'production');
    const doomed = await new KyselyJobStore(test.database.database.db).create(
      {
        id: randomUUID(),
        projectId: project.id,
        type: 'experiment-analysis',
        experimentKey: 'no-such-experiment',
        environmentId: production.id,
      },
      new Date().toISOString(),
    );
    await test.jobQueue.enqueue({ id: doomed.id, type: 'experiment-analysis' });
    expect((await finished(doomed.id)).status).toBe('failed');

    const after = await scrape();
    const delta = (name: string) => (after.get(name) ?? 0) - (before.get(name) ?? 0);
    expect(delta('cleave_analysis_job_seconds_count{outcome="succeeded"}')).toBe(1);
    expect(delta('cleave_analysis_job_seconds_count{outcome="failed"}')).toBe(1);
    expect(delta('cleave_analysis_job_seconds_count{outcome="retried"}')).toBe(0);
    expect(delta('cleave_analysis_job_failures_total')).toBe(1);
    expect(after.get('cleave_analysis_job_seconds_sum{outcome="succeeded"}')).toBeGreaterThan(0);
  });

  it('counts the SDK streams open now', async () => {
    const baseUrl = await test.app.listen({ port: 0, host: '127.0.0.1' });
    const sdk = await test.environmentKey(owner);
    expect((await scrape()).get('cleave_sse_connections{stream="sdk"}')).toBe(0);
    const streams = await Promise.all(
      [1, 2, 3].map(() => connectSse(`${baseUrl}/api/v1/sdk/stream`, sdk.headers)),
    );
    for (const stream of streams) expect(stream.status).toBe(200);
    expect((await scrape()).get('cleave_sse_connections{stream="sdk"}')).toBe(3);
    streams[0]?.close();
    await waitUntil(async () => (await scrape()).get('cleave_sse_connections{stream="sdk"}') === 2);
    for (const stream of streams.slice(1)) stream.close();
    await waitUntil(async () => (await scrape()).get('cleave_sse_connections{stream="sdk"}') === 0);
  });

  it('shows the connection pool: its limit, connections in use and idle, and waiting queries', async () => {
    // Background work of the tests before (exposure flushes, job bookkeeping) may still hold one.
    await waitUntil(
      async () => (await scrape()).get('cleave_db_pool_connections{database="primary",state="in_use"}') === 0,
    );
    const idle = await scrape();
    const max = idle.get('cleave_db_pool_max_connections{database="primary"}') ?? 0;
    // The test databases open at most 4 connections; SQLite has its one.
    expect(max).toBe(dialect === 'sqlite' ? 1 : 4);
    expect(idle.get('cleave_db_pool_connections{database="primary",state="in_use"}')).toBe(0);
    expect(idle.get('cleave_db_pool_waiting{database="primary"}')).toBe(0);
    const open = idle.get('cleave_db_pool_connections{database="primary",state="idle"}') ?? 0;
    expect(open).toBeGreaterThanOrEqual(1);
    expect(open).toBeLessThanOrEqual(max);

    // Hold every connection in open transactions; one more query must wait, and the scrape says so.
    const { db } = test.database.database;
    let releaseAll: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      releaseAll = resolve;
    });
    let started = 0;
    const holders = Array.from({ length: max }, () =>
      db.transaction().execute(async (trx) => {
        await sql`select 1`.execute(trx);
        started += 1;
        await held;
      }),
    );
    await waitUntil(async () => started === max);
    const waiter = sql`select 1`.execute(db);
    await waitUntil(async () => (await scrape()).get('cleave_db_pool_waiting{database="primary"}') === 1);
    const busy = await scrape();
    expect(busy.get('cleave_db_pool_connections{database="primary",state="in_use"}')).toBe(max);
    expect(busy.get('cleave_db_pool_connections{database="primary",state="idle"}')).toBe(0);
    releaseAll();
    await Promise.all([...holders, waiter]);
    const after = await scrape();
    expect(after.get('cleave_db_pool_waiting{database="primary"}')).toBe(0);
    expect(after.get('cleave_db_pool_connections{database="primary",state="in_use"}')).toBe(0);
  });

  async function finished(jobId: string): Promise<{ status: string }> {
    let job: { status: string } = { status: 'queued' };
    await waitUntil(async () => {
      job = (await test.request({ method: 'GET', url: `/api/v1/projects/shop/jobs/${jobId}` }, owner)).json();
      return job.status === 'succeeded' || job.status === 'failed';
    }).catch((error) => {
      throw new Error(`${String(error)}: ${JSON.stringify(job)}`);
    });
    return job;
  }
});

async function waitUntil(condition: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
