import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startMain } from '../test-support/server-process.js';

const PASSWORD = 'correct horse battery staple, secretly';
const ADMIN_TOKEN = `clv_admin_${'S'.repeat(40)}`;
const SDK_KEY = `clv_sdk_${'K'.repeat(40)}`;

/**
 * The log scan: a real server at the most verbose level goes through what handles secrets —
 * sign-in with a password (right and wrong), sessions and CSRF tokens, admin and sdk keys in
 * headers and in query strings (as browsers' EventSource sends them), new API keys and webhook
 * signing secrets shown once — and none of those values may appear anywhere in its output.
 */
describe('no secret, key or password in the logs', () => {
  let directory: string;
  let server: ServerProcess;
  const secrets: Record<string, string> = {
    password: PASSWORD,
    'admin token': ADMIN_TOKEN,
    'sdk key': SDK_KEY,
  };

  beforeAll(async () => {
    directory = mkdtempSync(path.join(tmpdir(), 'cleave-log-scan-'));
    server = await startMain(
      {
        LOG_LEVEL: 'trace',
        // SDK reads are logged only when asked: ask, so the `?key=` read below reaches the log.
        CLEAVE_LOG_SDK_READS: 'true',
        CLEAVE_DATA_DIR: directory,
        CLEAVE_INIT_ADMIN_EMAIL: 'owner@example.com',
        CLEAVE_INIT_ADMIN_PASSWORD: PASSWORD,
        CLEAVE_INIT_ADMIN_TOKEN: ADMIN_TOKEN,
        CLEAVE_INIT_SDK_KEY: SDK_KEY,
        CLEAVE_WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
      },
      directory,
    );
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    if (directory) rmSync(directory, { recursive: true, force: true });
  });

  it('keeps every secret it handles out of its output', async () => {
    const json = { 'content-type': 'application/json' };
    const admin = { authorization: `Bearer ${ADMIN_TOKEN}`, ...json };
    const call = (url: string, init: RequestInit = {}) => fetch(`${server.url}${url}`, init);

    const wrong = await call('/api/v1/auth/login', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ email: 'owner@example.com', password: `${PASSWORD}!` }),
    });
    expect(wrong.status).toBe(401);
    const login = await call('/api/v1/auth/login', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ email: 'owner@example.com', password: PASSWORD }),
    });
    expect(login.status).toBe(200);
    const session = /cleave_session=([^;]+)/.exec(login.headers.get('set-cookie') ?? '')?.[1] ?? '';
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    secrets['session cookie'] = session;
    secrets['CSRF token'] = csrfToken;
    expect(session.length).toBeGreaterThan(10);
    const me = await call('/api/v1/auth/me', { headers: { cookie: `cleave_session=${session}` } });
    await me.body?.cancel();

    const created = await call('/api/v1/projects/default/api-keys', {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ name: 'scan', kind: 'server', environment: 'production' }),
    });
    expect(created.status).toBe(201);
    secrets['new server key'] = ((await created.json()) as { secret: string }).secret;

    const webhook = await call('/api/v1/projects/default/webhooks', {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ url: 'http://127.0.0.1:9/hook', events: ['flag.created'] }),
    });
    expect(webhook.status).toBe(201);
    secrets['webhook secret'] = ((await webhook.json()) as { secret: string }).secret;

    // Keys in query strings, as EventSource sends them (and as a careless client might).
    const stream = await call(`/api/v1/sdk/config?key=${SDK_KEY}`, {
      headers: { authorization: `Bearer ${SDK_KEY}` },
    });
    await stream.body?.cancel();
    const badQuery = await call(
      `/api/v1/projects/default/flags?key=${secrets['new server key']}&token=${ADMIN_TOKEN}`,
      {
        headers: admin,
      },
    );
    await badQuery.body?.cancel();
    const events = await call('/api/v1/events', {
      method: 'POST',
      headers: { authorization: `Bearer ${SDK_KEY}`, ...json },
      body: JSON.stringify({
        events: [
          {
            id: crypto.randomUUID(),
            type: 'track',
            unitId: 'u',
            event: 'x',
            timestamp: new Date().toISOString(),
          },
        ],
      }),
    });
    await events.body?.cancel();

    await new Promise((resolve) => setTimeout(resolve, 500));
    const output = server.output();
    expect(output.length).toBeGreaterThan(1_000); // the log really was written, at trace level
    expect(output).toContain('/api/v1/sdk/config?key=[redacted]'); // …SDK reads included
    for (const [name, value] of Object.entries(secrets)) {
      expect(value.length, name).toBeGreaterThan(8);
      expect(output.includes(value), `${name} appears in the log`).toBe(false);
    }
  }, 60_000);
});
