import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test-support/databases.js';
import { connectSse, type SseClient } from '../../test-support/sse-client.js';
import { type Credentials, createTestApp, type TestApp } from '../../test-support/test-app.js';
import { KyselyApiKeyStore } from '../api-keys/store.js';

/** Resolves true if the server ended the stream within `ms`. */
function endsWithin(stream: SseClient, ms: number): Promise<boolean> {
  return Promise.race([
    stream.ended.then(() => true),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms)),
  ]);
}

describe.each(DIALECTS)('open streams end with the access they were opened with (%s)', (dialect) => {
  let test: TestApp;
  let owner: Credentials;
  let baseUrl: string;
  const project = '/api/v1/projects/shop';

  const createKey = async (kind: 'sdk' | 'server') => {
    const response = await test.request(
      {
        method: 'POST',
        url: `${project}/api-keys`,
        payload: { name: kind, kind, environment: 'production' },
      },
      owner,
    );
    expect(response.statusCode).toBe(201);
    return response.json() as { id: string; secret: string };
  };
  const revoke = async (id: string) => {
    const response = await test.request({ method: 'DELETE', url: `${project}/api-keys/${id}` }, owner);
    expect(response.statusCode).toBe(200);
  };

  beforeAll(async () => {
    // A long re-check: the notice alone must close streams on this node.
    test = await createTestApp(dialect, { streamRecheckMs: 60_000 });
    owner = await test.signUpOwner();
    await test.createProject(owner);
    baseUrl = await test.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await test?.close();
  });

  it('closes the SDK streams of a revoked sdk key at once, and only those', async () => {
    const revoked = await createKey('sdk');
    const kept = await createKey('sdk');
    const doomed = await connectSse(`${baseUrl}/api/v1/sdk/stream`, {
      authorization: `Bearer ${revoked.secret}`,
    });
    const browser = await connectSse(`${baseUrl}/api/v1/sdk/stream?key=${revoked.secret}`);
    const other = await connectSse(`${baseUrl}/api/v1/sdk/stream`, {
      authorization: `Bearer ${kept.secret}`,
    });
    await Promise.all(
      [doomed, browser, other].map((stream) => stream.next((event) => event.event === 'config')),
    );

    await revoke(revoked.id);
    expect(await endsWithin(doomed, 1_000)).toBe(true);
    expect(await endsWithin(browser, 1_000)).toBe(true);
    expect(await endsWithin(other, 200)).toBe(false);
    other.close();

    const again = await fetch(`${baseUrl}/api/v1/sdk/stream`, {
      headers: { authorization: `Bearer ${revoked.secret}` },
    });
    expect(again.status).toBe(401);
    await again.body?.cancel();
  });

  it('closes the OFREP event stream of a revoked server key at once', async () => {
    const serverKey = await createKey('server');
    const stream = await connectSse(`${baseUrl}/ofrep/v1/events`, {
      authorization: `Bearer ${serverKey.secret}`,
    });
    expect(stream.status).toBe(200);
    await revoke(serverKey.id);
    expect(await endsWithin(stream, 1_000)).toBe(true);
  });
});

describe('a revocation whose notice never arrived', () => {
  let test: TestApp;
  let owner: Credentials;
  let baseUrl: string;

  beforeAll(async () => {
    test = await createTestApp('sqlite', { streamRecheckMs: 200 });
    owner = await test.signUpOwner();
    await test.createProject(owner);
    baseUrl = await test.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await test?.close();
  });

  it('still ends the stream: open streams re-check their key against the database', async () => {
    const created = await test.request(
      {
        method: 'POST',
        url: '/api/v1/projects/shop/api-keys',
        payload: { name: 'sdk', kind: 'sdk', environment: 'production' },
      },
      owner,
    );
    const { id, secret } = created.json() as { id: string; secret: string };
    const stream = await connectSse(`${baseUrl}/api/v1/sdk/stream`, { authorization: `Bearer ${secret}` });
    await stream.next((event) => event.event === 'config');
    expect(await endsWithin(stream, 500)).toBe(false);

    // Revoked in the store directly: no change notice, as when pub/sub drops one.
    const project = await test.services.projects.findProjectByKey('shop');
    await new KyselyApiKeyStore(test.services.transactor.db).revoke(
      project?.id ?? '',
      id,
      new Date().toISOString(),
    );
    expect(await endsWithin(stream, 2_000)).toBe(true);
  });
});
