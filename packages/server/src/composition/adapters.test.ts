import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../runtime/config.js';
import { createTelemetry } from '../runtime/telemetry.js';
import { createPostgresDatabase, type TestDatabase } from '../test-support/databases.js';
import { type Adapters, connectAdapters, StartupError } from './adapters.js';

const logger = pino({ level: 'silent' });

describe('the analysis database (DATABASE_READ_URL)', () => {
  let main: TestDatabase;
  let directory: string;
  beforeAll(async () => {
    main = await createPostgresDatabase();
    directory = mkdtempSync(path.join(tmpdir(), 'cleave-adapters-'));
  });
  afterAll(async () => {
    await main?.destroy();
    rmSync(directory, { recursive: true, force: true });
  });

  async function withAdapters(env: Record<string, string>, work: (adapters: Adapters) => Promise<void>) {
    const closers: Array<() => Promise<void>> = [];
    try {
      const telemetry = createTelemetry({ processMetrics: false });
      await work(await connectAdapters(loadConfig(env, directory), logger, closers, telemetry));
    } finally {
      for (const close of closers.reverse()) await close();
    }
  }

  it('is a second, read-only connection that sees what the main database commits', async () => {
    // A second connection to the same server stands in for a replica.
    await withAdapters(
      { DATABASE_URL: main.location, DATABASE_READ_URL: main.location },
      async (adapters) => {
        expect(adapters.analysisDatabase).not.toBe(adapters.database);
        const now = new Date().toISOString();
        await adapters.database.db
          .insertInto('projects')
          .values({
            id: 'p1',
            key: 'shop',
            name: 'Shop',
            description: '',
            created_at: now,
            updated_at: now,
            version: 1,
          })
          .execute();
        expect(await adapters.analysisDatabase.db.selectFrom('projects').select('key').execute()).toEqual([
          { key: 'shop' },
        ]);
        await expect(adapters.analysisDatabase.db.deleteFrom('projects').execute()).rejects.toThrow(
          /read-only transaction/,
        );
        const { rows } = await sql<{
          default_transaction_read_only: string;
        }>`show default_transaction_read_only`.execute(adapters.analysisDatabase.db);
        expect(rows[0]).toEqual({ default_transaction_read_only: 'on' });
        expect(adapters.checks.map((check) => check.name)).toContain('database-read');
        await Promise.all(adapters.checks.map((check) => check.check()));
      },
    );
  });

  it('is the main database when DATABASE_READ_URL is unset', async () => {
    await withAdapters({ DATABASE_URL: main.location }, async (adapters) => {
      expect(adapters.analysisDatabase).toBe(adapters.database);
      expect(adapters.checks.map((check) => check.name)).not.toContain('database-read');
    });
  });

  it('stops start-up with a clear message when the replica is unreachable', async () => {
    const unreachable = new URL(main.location);
    unreachable.port = '1';
    unreachable.password = 'secret';
    await expect(
      withAdapters(
        { DATABASE_URL: main.location, DATABASE_READ_URL: unreachable.toString() },
        async () => {},
      ),
    ).rejects.toThrow(StartupError);
    await expect(
      withAdapters(
        { DATABASE_URL: main.location, DATABASE_READ_URL: unreachable.toString() },
        async () => {},
      ),
    ).rejects.toThrow(/^Cannot reach the read database at postgres:\/\/postgres:\*+@127\.0\.0\.1:1\//);
  });
});
