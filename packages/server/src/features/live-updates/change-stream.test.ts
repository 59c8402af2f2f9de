import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectSse, type SseClient } from '../../test-support/sse-client.js';
import { type Credentials, createTestApp, type TestApp } from '../../test-support/test-app.js';

const project = '/api/v1/projects/shop';
const FLAG = {
  key: 'live',
  type: 'boolean',
  variants: [
    { key: 'on', value: true },
    { key: 'off', value: false },
  ],
  defaultVariant: 'on',
  offVariant: 'off',
};

describe("a project's live-update stream", () => {
  let test: TestApp;
  let owner: Credentials;
  let viewer: Credentials & { userId: string };
  let outsider: Credentials;
  let baseUrl: string;
  const open: SseClient[] = [];

  const connect = async (as: Credentials, headers: Record<string, string> = {}) => {
    const client = await connectSse(`${baseUrl}${project}/changes/stream`, { ...as.headers, ...headers });
    open.push(client);
    return client;
  };
  const post = (url: string, payload: Record<string, unknown>) =>
    test.request({ method: 'POST', url, payload }, owner);

  beforeAll(async () => {
    test = await createTestApp('sqlite');
    owner = await test.signUpOwner();
    await test.createProject(owner);
    viewer = await test.createPerson(owner, 'viewer@example.com');
    outsider = await test.createPerson(owner, 'outsider@example.com');
    await test.request(
      {
        method: 'PUT',
        url: `${project}/members`,
        payload: { email: 'viewer@example.com', role: 'viewer' },
      },
      owner,
    );
    baseUrl = await test.app.listen({ port: 0, host: '127.0.0.1' });
  });

  afterAll(async () => {
    for (const client of open) client.close();
    await test?.close();
  });

  it('tells a viewer of every change made in the project, as it commits', async () => {
    const stream = await connect(viewer);
    expect(stream.status).toBe(200);
    expect((await post(`${project}/flags`, FLAG)).statusCode).toBe(201);
    const created = await stream.next((event) => event.event === 'change');
    expect(JSON.parse(created.data)).toMatchObject({
      resourceType: 'flag',
      resourceKey: 'live',
      action: 'flag.created',
    });
    // The id is the audit record's, so the change can be looked up.
    expect(created.id).toMatch(/^[0-9a-f-]{36}$/);

    const toggled = await post(`${project}/flags/live/environments/production/toggle`, {
      enabled: true,
      version: 1,
    });
    expect(toggled.statusCode).toBe(200);
    const update = await stream.next((event) => event.event === 'change' && event.id !== created.id);
    expect(JSON.parse(update.data)).toMatchObject({ resourceKey: 'live', action: 'flag.toggled' });
  });

  it('announces new analysis results', async () => {
    expect(
      (
        await post(`${project}/metrics`, {
          key: 'buys',
          type: 'proportion',
          numerator: { event: 'buy' },
        })
      ).statusCode,
    ).toBe(201);
    const experiment = await post(`${project}/experiments`, {
      key: 'checkout',
      variations: [
        { key: 'control', weight: 0.5 },
        { key: 'treatment', weight: 0.5 },
      ],
      metrics: { primary: ['buys'] },
    });
    expect(experiment.statusCode).toBe(201);
    const stream = await connect(owner);
    const accepted = await post(`${project}/experiments/checkout/analysis`, { environment: 'production' });
    expect(accepted.statusCode).toBe(202);
    const results = await stream.next((event) => event.event === 'change' && event.data.includes('results'));
    expect(JSON.parse(results.data)).toMatchObject({
      resourceType: 'results',
      resourceKey: 'checkout',
      action: 'results.updated',
    });
    const job = await test.request({ method: 'GET', url: `${project}/jobs/${accepted.json().jobId}` }, owner);
    // The event names the snapshot the job produced.
    expect(results.id).toBe(job.json().snapshotId);
  });

  it('asks a reconnecting client to re-read, since changes are not replayed', async () => {
    const stream = await connect(owner, { 'last-event-id': '0190a0a0-0000-7000-8000-000000000000' });
    expect((await stream.next()).event).toBe('resync');
  });

  it('is refused to people outside the project and to anonymous callers', async () => {
    const anonymous = await fetch(`${baseUrl}${project}/changes/stream`);
    expect(anonymous.status).toBe(401);
    const stranger = await fetch(`${baseUrl}${project}/changes/stream`, { headers: outsider.headers });
    expect(stranger.status).toBeGreaterThanOrEqual(403);
    expect(stranger.status).toBeLessThan(405);
    expect((await stranger.json()).error.code).toBeTypeOf('string');
  });

  it('closes when the member is removed from the project', async () => {
    const stream = await connect(viewer);
    const removed = await test.request(
      { method: 'DELETE', url: `${project}/members/${viewer.userId}` },
      owner,
    );
    expect(removed.statusCode).toBeLessThan(300);
    await expect(stream.ended).resolves.toBeUndefined();
  });
});
