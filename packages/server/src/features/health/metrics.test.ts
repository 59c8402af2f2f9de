import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test-support/databases.js';
import { type Credentials, createTestApp, type TestApp } from '../../test-support/test-app.js';

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
});
