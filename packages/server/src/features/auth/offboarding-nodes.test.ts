import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase, type TestDatabase } from '../../test-support/databases.js';
import { type ServerProcess, startMain } from '../../test-support/server-process.js';
import { TEST_REDIS_URL } from '../../test-support/services.js';
import { connectSse, type SseClient } from '../../test-support/sse-client.js';
import { createTestApp, TEST_PASSWORD, type TestApp } from '../../test-support/test-app.js';

const ADMIN_EMAIL = 'admin@example.com';
const ADMIN_PASSWORD = 'offboarding admin passphrase';

interface Session {
  cookie: string;
  csrfToken: string;
  userId: string;
}

async function signIn(node: ServerProcess, email: string, password: string): Promise<Session> {
  const response = await fetch(`${node.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  expect(response.status).toBe(200);
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const body = await response.json();
  return { cookie, csrfToken: body.csrfToken, userId: body.user.id };
}

function call(node: ServerProcess, as: Session, method: string, url: string, body?: unknown) {
  return fetch(`${node.url}${url}`, {
    method,
    headers: {
      cookie: as.cookie,
      'x-csrf-token': as.csrfToken,
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
}

/** Resolves true if the server ended the stream within `ms`. */
function endsWithin(stream: SseClient, ms: number): Promise<boolean> {
  return Promise.race([
    stream.ended.then(() => true),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms)),
  ]);
}

describe('a disabled account loses its open streams on this node at once', () => {
  let test: TestApp;
  let baseUrl: string;
  beforeAll(async () => {
    test = await createTestApp('sqlite');
    baseUrl = await test.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await test?.close();
  });

  it("closes the person's live-update streams, and only theirs", async () => {
    const owner = await test.signUpOwner();
    await test.createProject(owner);
    const leaver = await test.createPerson(owner, 'leaver@example.com');
    await test.request(
      {
        method: 'PUT',
        url: '/api/v1/projects/shop/members',
        payload: { email: 'leaver@example.com', role: 'viewer' },
      },
      owner,
    );
    const stream = `${baseUrl}/api/v1/projects/shop/changes/stream`;
    const doomed = await connectSse(stream, leaver.headers);
    const kept = await connectSse(stream, owner.headers);
    expect([doomed.status, kept.status]).toEqual([200, 200]);

    const disabled = await test.request(
      { method: 'PATCH', url: `/api/v1/users/${leaver.userId}`, payload: { disabled: true } },
      owner,
    );
    expect(disabled.statusCode).toBe(200);
    expect(await endsWithin(doomed, 1_000)).toBe(true);
    expect(await endsWithin(kept, 200)).toBe(false);
    kept.close();
    const again = await fetch(stream, { headers: leaver.headers });
    expect(again.status).toBe(401);
    await again.body?.cancel();
  });

  it('sends no notice when nothing was taken away', async () => {
    const owner = await test.signIn('owner@example.com');
    const person = await test.createPerson(owner, 'kept@example.com');
    const notices: unknown[] = [];
    const stop = test.notifier.onAccessRevoked((revocation) => notices.push(revocation));
    await test.request(
      { method: 'PATCH', url: `/api/v1/users/${person.userId}`, payload: { isInstanceAdmin: true } },
      owner,
    );
    await test.request(
      { method: 'PATCH', url: `/api/v1/users/${person.userId}`, payload: { disabled: false } },
      owner,
    );
    expect(notices).toEqual([]);
    await test.request(
      { method: 'PATCH', url: `/api/v1/users/${person.userId}`, payload: { disabled: true } },
      owner,
    );
    expect(notices).toEqual([{ kind: 'user', userId: person.userId }]);
    stop();
  });
});

describe('disabling through one API node ends the session and streams on another (PostgreSQL, Redis)', () => {
  let database: TestDatabase;
  let directory: string;
  const nodes: ServerProcess[] = [];

  beforeAll(async () => {
    database = await createPostgresDatabase();
    directory = mkdtempSync(path.join(tmpdir(), 'cleave-offboarding-'));
    const env = {
      DATABASE_URL: database.location,
      REDIS_URL: TEST_REDIS_URL,
      CLEAVE_INIT_ADMIN_EMAIL: ADMIN_EMAIL,
      CLEAVE_INIT_ADMIN_PASSWORD: ADMIN_PASSWORD,
    };
    // One after the other: the first migrates and provisions, the second finds it done.
    nodes.push(await startMain(env, directory, 60_000));
    nodes.push(await startMain(env, directory, 60_000));
  }, 120_000);

  afterAll(async () => {
    for (const node of nodes) await node.stop();
    await database?.destroy();
    if (directory) rmSync(directory, { recursive: true, force: true });
  });

  it("refuses the person's next request and closes their stream on the other node", async () => {
    const [writer, reader] = nodes as [ServerProcess, ServerProcess];
    const admin = await signIn(writer, ADMIN_EMAIL, ADMIN_PASSWORD);
    expect(
      (await call(writer, admin, 'POST', '/api/v1/projects', { key: 'shop', name: 'Shop' })).status,
    ).toBe(201);
    const created = await call(writer, admin, 'POST', '/api/v1/users', {
      email: 'leaver@example.com',
      name: 'Leaver',
      password: TEST_PASSWORD,
    });
    expect(created.status).toBe(201);
    const member = await call(writer, admin, 'PUT', '/api/v1/projects/shop/members', {
      email: 'leaver@example.com',
      role: 'editor',
    });
    expect(member.status).toBeLessThan(300);

    const leaver = await signIn(reader, 'leaver@example.com', TEST_PASSWORD);
    expect((await call(reader, leaver, 'GET', '/api/v1/auth/session')).status).toBe(200);
    const stream = await connectSse(`${reader.url}/api/v1/projects/shop/changes/stream`, {
      cookie: leaver.cookie,
    });
    expect(stream.status).toBe(200);

    const disabled = await call(writer, admin, 'PATCH', `/api/v1/users/${leaver.userId}`, { disabled: true });
    expect(disabled.status).toBe(200);
    expect((await call(reader, leaver, 'GET', '/api/v1/auth/session')).status).toBe(401);
    expect(await endsWithin(stream, 5_000)).toBe(true);
  });
});
