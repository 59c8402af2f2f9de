import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase, type TestDatabase } from './test-support/databases.js';
import { runMainToExit, startMain } from './test-support/server-process.js';
import { TEST_NATS_URL, TEST_REDIS_URL } from './test-support/services.js';

const temporaryDirectories: string[] = [];
function temporaryDirectory(): string {
  const directory = mkdtempSync(path.join(tmpdir(), 'cleave-main-'));
  temporaryDirectories.push(directory);
  return directory;
}
afterAll(() => {
  for (const directory of temporaryDirectories) rmSync(directory, { recursive: true, force: true });
});

describe('the cleave server process', () => {
  it('exits non-zero with one line naming PORT when PORT is not a number', async () => {
    const result = await runMainToExit({ PORT: 'abc' });
    expect(result.code).not.toBe(0);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('PORT');
    expect(result.stdout).toBe('');
  });

  it('starts on embedded SQLite with nothing configured, answers /healthz, and stops cleanly on SIGTERM', async () => {
    const directory = temporaryDirectory();
    const server = await startMain({}, directory);
    try {
      const health = await fetch(`${server.url}/healthz`);
      expect(health.status).toBe(200);
      const ready = await (await fetch(`${server.url}/readyz`)).json();
      expect(ready.dependencies.database).toMatchObject({ status: 'up', info: { dialect: 'sqlite' } });
      expect(existsSync(path.join(directory, '.cleave', 'cleave.db'))).toBe(true);
      // Every log line is JSON, and a request's one line carries the id the client got back.
      const missing = await fetch(`${server.url}/no-such-route`);
      expect(missing.status).toBe(404);
      const requestId = missing.headers.get('x-request-id');
      await new Promise((resolve) => setTimeout(resolve, 100));
      const lines = server
        .output()
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line));
      const requestLines = lines.filter((line) => line.requestId === requestId);
      expect(requestLines.map((line) => line.msg)).toEqual(['request completed']);
      expect(requestLines[0]).toMatchObject({
        req: { method: 'GET', url: '/no-such-route' },
        res: { statusCode: 404 },
      });
    } finally {
      const code = await server.stop('SIGTERM');
      expect(code).toBe(0);
      expect(server.output()).toContain('shutdown complete');
    }
  });

  describe('with DATABASE_URL, REDIS_URL and NATS_URL set', () => {
    let database: TestDatabase;
    afterAll(async () => {
      await database?.destroy();
    });

    it('creates the tables in PostgreSQL and reports every dependency ready', async () => {
      database = await createPostgresDatabase();
      const server = await startMain(
        { DATABASE_URL: database.location, REDIS_URL: TEST_REDIS_URL, NATS_URL: TEST_NATS_URL },
        temporaryDirectory(),
      );
      try {
        const response = await fetch(`${server.url}/readyz`);
        expect(response.status).toBe(200);
        const ready = await response.json();
        expect(ready.dependencies).toMatchObject({
          database: { status: 'up', info: { dialect: 'postgres' } },
          redis: { status: 'up' },
          nats: { status: 'up' },
        });
        const client = new pg.Client({ connectionString: database.location });
        await client.connect();
        const { rows } = await client.query<{ table_name: string }>(
          "select table_name from information_schema.tables where table_schema = 'public' order by table_name",
        );
        await client.end();
        expect(rows.map((row) => row.table_name)).toEqual(
          expect.arrayContaining(['api_keys', 'audit_log', 'environments', 'projects', 'users']),
        );
      } finally {
        expect(await server.stop('SIGINT')).toBe(0);
      }
    });
  });

  it('exits non-zero with one clear line when the database is unreachable', async () => {
    const result = await runMainToExit({
      DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
      LOG_LEVEL: 'silent',
    });
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toMatch(
      /^Cleave could not start: Cannot reach the database at postgres:\/\/nobody@127\.0\.0\.1:1\/none/,
    );
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});
