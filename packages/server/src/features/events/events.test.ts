import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test-support/databases.js';
import { type Credentials, createTestApp, type TestApp } from '../../test-support/test-app.js';

const now = () => new Date().toISOString();

function track(overrides: Record<string, unknown> = {}) {
  return {
    id: randomUUID(),
    type: 'track',
    unitId: 'u-1',
    event: 'purchase',
    value: 12.5,
    properties: { plan: 'pro' },
    timestamp: now(),
    ...overrides,
  };
}

function exposure(overrides: Record<string, unknown> = {}) {
  return {
    id: randomUUID(),
    type: 'exposure',
    unitId: 'u-1',
    experiment: 'cta',
    variant: 'treatment',
    timestamp: now(),
    ...overrides,
  };
}

describe.each(DIALECTS)('event ingestion, embedded log (%s)', (dialect) => {
  let test: TestApp;
  let owner: Credentials;
  let sdk: Credentials;
  let environmentId: string;

  const send = (events: unknown[], as: Credentials = sdk, headers: Record<string, string> = {}) =>
    test.request({ method: 'POST', url: '/api/v1/events', payload: { events }, headers }, as);

  beforeAll(async () => {
    test = await createTestApp(dialect);
    owner = await test.signUpOwner();
    const project = (
      await test.request(
        { method: 'POST', url: '/api/v1/projects', payload: { key: 'shop', name: 'Shop' } },
        owner,
      )
    ).json();
    environmentId = project.environments.find(
      (environment: { key: string }) => environment.key === 'production',
    ).id;
    const key = await test.request(
      {
        method: 'POST',
        url: '/api/v1/projects/shop/api-keys',
        payload: { name: 'web', kind: 'sdk', environment: 'production' },
      },
      owner,
    );
    sdk = test.bearer(key.json().secret);
  });
  afterAll(async () => {
    await test?.close();
  });

  it('accepts a batch once it is stored, bound to the key environment', async () => {
    const events = [exposure(), track(), track({ value: undefined, properties: undefined })];
    const response = await send(events);
    expect(response.statusCode).toBe(202);
    expect(response.json()).toEqual({ accepted: 3, duplicates: 0, rejected: [] });
    // Durable before the answer: the rows are there the moment the 202 is.
    expect(await test.eventStore.count({ environmentId })).toBe(3);
    const stored = await test.database.database.db
      .selectFrom('events')
      .selectAll()
      .where('event_id', '=', events[0]?.id as string)
      .executeTakeFirstOrThrow();
    expect(stored).toMatchObject({
      type: 'exposure',
      unit_id: 'u-1',
      experiment: 'cta',
      variant: 'treatment',
      environment_id: environmentId,
    });
  });

  it('stores a re-sent event once and says it was a duplicate', async () => {
    const events = [track(), track()];
    expect((await send(events)).json()).toMatchObject({ accepted: 2, duplicates: 0 });
    const before = await test.eventStore.count();
    const again = await send([...events, events[0]]);
    expect(again.statusCode).toBe(202);
    expect(again.json()).toEqual({ accepted: 0, duplicates: 3, rejected: [] });
    expect(await test.eventStore.count()).toBe(before);
  });

  it('keeps the good events of a batch and names each bad one with its index', async () => {
    const hourAgo = new Date(Date.now() - 3_600_000).toISOString();
    const response = await send([
      track({ timestamp: hourAgo }),
      { ...track(), id: 'not-a-uuid' },
      track({ timestamp: new Date(Date.now() - 30 * 86_400_000).toISOString() }),
      track({ timestamp: new Date(Date.now() + 3_600_000).toISOString() }),
      { type: 'click', id: randomUUID() },
      exposure({ experiment: '' }),
      track({ value: 'twelve' }),
      exposure(),
      // NUL characters: PostgreSQL cannot store them; one such event must not cost the batch.
      track({ unitId: 'u\u0000' }),
      track({ properties: { note: 'a\u0000b' } }),
      track({ properties: { note: 'half a pair: \ud83d' } }),
    ]);
    expect(response.statusCode).toBe(202);
    const body = response.json();
    expect(body.accepted).toBe(2);
    expect(
      body.rejected.map((rejection: { index: number; error: { code: string } }) => [
        rejection.index,
        rejection.error.code,
      ]),
    ).toEqual([
      [1, 'invalid_event'],
      [2, 'timestamp_too_old'],
      [3, 'timestamp_in_future'],
      [4, 'invalid_event'],
      [5, 'invalid_event'],
      [6, 'invalid_event'],
      [8, 'invalid_event'],
      [9, 'invalid_event'],
      [10, 'invalid_event'],
    ]);
    expect(body.rejected[0].error.message).toContain('id');
    expect(body.rejected.at(-1).error.message).toMatch(/^properties: .*unpaired surrogates/);
  });

  it('accepts gzip bodies and refuses a compressed bomb and unknown encodings', async () => {
    const events = [track(), exposure()];
    const gzipped = await test.request(
      {
        method: 'POST',
        url: '/api/v1/events',
        payload: gzipSync(JSON.stringify({ events })),
        headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      },
      sdk,
    );
    expect(gzipped.statusCode).toBe(202);
    expect(gzipped.json().accepted).toBe(2);
    // Codings are case-insensitive, and x-gzip means gzip.
    for (const encoding of ['GZIP', 'x-gzip']) {
      const spelled = await test.request(
        {
          method: 'POST',
          url: '/api/v1/events',
          payload: gzipSync(JSON.stringify({ events: [track()] })),
          headers: { 'content-type': 'application/json', 'content-encoding': encoding },
        },
        sdk,
      );
      expect({ encoding, status: spelled.statusCode }).toEqual({ encoding, status: 202 });
    }

    // 6 MiB of JSON compresses to a few KiB; the decompressed size is what the limit counts.
    const bomb = gzipSync(JSON.stringify({ events: [], padding: 'x'.repeat(6 * 1024 * 1024) }));
    expect(bomb.length).toBeLessThan(64 * 1024);
    const refused = await test.request(
      {
        method: 'POST',
        url: '/api/v1/events',
        payload: bomb,
        headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      },
      sdk,
    );
    expect(refused.statusCode).toBe(413);

    const brotli = await test.request(
      {
        method: 'POST',
        url: '/api/v1/events',
        payload: '{}',
        headers: { 'content-type': 'application/json', 'content-encoding': 'br' },
      },
      sdk,
    );
    expect(brotli.statusCode).toBe(415);
  });

  it('takes bodies up to 5 MiB (beyond the 1 MiB default of other routes) and refuses larger ones with 413', async () => {
    const large = Array.from({ length: 1_000 }, () => track({ properties: { note: 'x'.repeat(3_000) } }));
    const accepted = await send(large);
    expect(JSON.stringify({ events: large }).length).toBeGreaterThan(3 * 1024 * 1024);
    expect(accepted.statusCode).toBe(202);
    expect(accepted.json()).toMatchObject({ accepted: 1_000, rejected: [] });
    const tooLarge = await send(
      Array.from({ length: 800 }, () => track({ properties: { note: 'x'.repeat(8_000) } })),
    );
    expect(tooLarge.statusCode).toBe(413);
    expect(tooLarge.json().error.code).toBe('payload_too_large');
  });

  it('refuses more than 1,000 events per request with 413', async () => {
    const response = await send(Array.from({ length: 1_001 }, () => track()));
    expect(response.statusCode).toBe(413);
    expect(response.json().error).toMatchObject({
      code: 'payload_too_large',
      details: { events: 1_001, max: 1_000 },
    });
  });

  it('refuses admin keys and people: events come from environment keys', async () => {
    const admin = await test.request(
      { method: 'POST', url: '/api/v1/projects/shop/api-keys', payload: { name: 'ci', kind: 'admin' } },
      owner,
    );
    expect((await send([track()], test.bearer(admin.json().secret))).statusCode).toBe(403);
    expect((await send([track()], owner)).statusCode).toBe(403);
  });

  it('counts accepted, duplicate and rejected events in /metrics', async () => {
    const metrics = await test.request({ method: 'GET', url: '/metrics' });
    expect(metrics.statusCode).toBe(200);
    expect(metrics.body).toMatch(/cleave_events_accepted_total \d+/);
    expect(metrics.body).toMatch(/cleave_events_duplicate_total [1-9]/);
    expect(metrics.body).toMatch(/cleave_events_rejected_total\{code="timestamp_too_old"\} 1/);
  });
});
