import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Migrator, sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { rowCounts } from '../adapters/backup/tables.js';
import { connectDatabase } from '../adapters/connect-database.js';
import { migrationProvider, migrationsFor } from '../adapters/sql/migrations/index.js';
import type { SqlDatabase, SqlDialect } from '../adapters/sql/sql-database.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../test-support/databases.js';
import { createTestApp, type TestApp } from '../test-support/test-app.js';
import { runCleave } from './commands.js';

/** Runs the CLI in-process against the database at `location`, capturing what it prints. */
async function cleave(dialect: SqlDialect, location: string, ...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const env =
    dialect === 'postgres' ? { DATABASE_URL: location } : { CLEAVE_DATA_DIR: path.dirname(location) };
  const code = await runCleave(args, env, { out: (line) => out.push(line), err: (line) => err.push(line) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** Every row of every table, each table's rows sorted, so two databases compare with toEqual. */
async function contents(database: SqlDatabase): Promise<Record<string, string[]>> {
  const tables = await database.db.introspection.getTables();
  const result: Record<string, string[]> = {};
  for (const table of tables) {
    const { rows } = await sql`select * from ${sql.table(table.name)}`.execute(database.db);
    result[table.name] = rows.map((row) => JSON.stringify(row)).sort();
  }
  return result;
}

const scratch = mkdtempSync(path.join(tmpdir(), 'cleave-backups-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe.each(DIALECTS)('cleave backup and restore (%s)', (dialect) => {
  let source: TestApp;
  let target: TestDatabase | undefined;
  const file = path.join(scratch, `${dialect}.backup`);

  beforeAll(async () => {
    source = await createTestApp(dialect);
    const owner = await source.signUpOwner();
    await source.createProject(owner);
    const sdk = await source.environmentKey(owner);
    const post = async (url: string, payload: Record<string, unknown>) => {
      const response = await source.request({ method: 'POST', url, payload }, owner);
      if (response.statusCode >= 300) throw new Error(`${url}: ${response.statusCode} ${response.body}`);
    };
    const base = '/api/v1/projects/shop';
    await post(`${base}/flags`, {
      key: 'checkout-cta',
      type: 'string',
      variants: [
        { key: 'control', value: 'Buy' },
        { key: 'treatment', value: 'Buy now' },
      ],
      defaultVariant: 'control',
      offVariant: 'control',
      environments: { production: { enabled: true } },
    });
    await post(`${base}/metrics`, { key: 'purchase', type: 'proportion', numerator: { event: 'purchase' } });
    await post(`${base}/experiments`, {
      key: 'cta-copy',
      variations: [
        { key: 'control', weight: 0.5 },
        { key: 'treatment', weight: 0.5 },
      ],
      metrics: { primary: ['purchase'] },
    });
    const events = Array.from({ length: 50 }, (_, index) => ({
      id: randomUUID(),
      type: index % 2 === 0 ? 'exposure' : 'track',
      unitId: `u-${index}`,
      ...(index % 2 === 0
        ? { experiment: 'cta-copy', variant: 'control' }
        : { event: 'purchase', value: index }),
      timestamp: new Date().toISOString(),
    }));
    const sent = await source.request({ method: 'POST', url: '/api/v1/events', payload: { events } }, sdk);
    expect(sent.statusCode).toBe(202);
  });
  afterAll(async () => {
    await source?.close();
  });
  afterEach(async () => {
    await target?.destroy();
    target = undefined;
  });

  it('restores a populated instance into a fresh database with every row of every table', async () => {
    const backup = await cleave(dialect, source.database.location, 'backup', file);
    expect(backup).toMatchObject({ code: 0, err: '' });
    const header = JSON.parse(readFileSync(file).subarray(0, readFileSync(file).indexOf(10)).toString());
    expect(header).toMatchObject({
      format: 'cleave-backup',
      formatVersion: 1,
      dialect,
      migration: Object.keys(migrationsFor(dialect)).at(-1),
      cleaveVersion: expect.any(String),
    });

    target = await createTestDatabase(dialect, { migrate: false });
    const restore = await cleave(dialect, target.location, 'restore', file);
    expect(restore).toMatchObject({ code: 0, err: '' });

    const original = await rowCounts(source.database.database.db);
    for (const table of ['flags', 'experiments', 'metrics', 'api_keys', 'events', 'audit_log', 'users'])
      expect(original[table], table).toBeGreaterThan(0);
    const restored = connectDatabase(
      dialect === 'postgres'
        ? { kind: 'postgres', url: target.location }
        : { kind: 'sqlite', file: target.location },
    );
    try {
      expect(await rowCounts(restored.db)).toEqual(original);
      expect(await contents(restored)).toEqual(await contents(source.database.database));
    } finally {
      await restored.close();
    }
  });

  it('refuses a target that holds data unless forced, and leaves it untouched', async () => {
    await cleave(dialect, source.database.location, 'backup', file);
    target = await createTestDatabase(dialect);
    const now = new Date().toISOString();
    await target.database.db
      .insertInto('projects')
      .values({
        id: 'p1',
        key: 'other',
        name: 'Other',
        description: '',
        created_at: now,
        updated_at: now,
        version: 1,
      })
      .execute();

    const refused = await cleave(dialect, target.location, 'restore', file);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/is not empty \(rows in .*projects.*\).*--force/);
    expect(await target.database.db.selectFrom('projects').select('key').execute()).toEqual([
      { key: 'other' },
    ]);

    const forced = await cleave(dialect, target.location, 'restore', file, '--force');
    expect(forced).toMatchObject({ code: 0, err: '' });
    const keys = (database: SqlDatabase) =>
      database.db.selectFrom('projects').select('key').orderBy('key').execute();
    expect(await keys(target.database)).toEqual(await keys(source.database.database));
    expect(await keys(target.database)).not.toContainEqual({ key: 'other' });
  });

  it('refuses a backup of the other database, a damaged file and a file that is no backup', async () => {
    await cleave(dialect, source.database.location, 'backup', file);
    target = await createTestDatabase(dialect, { migrate: false });
    const other: SqlDialect = dialect === 'sqlite' ? 'postgres' : 'sqlite';
    const otherTarget = await createTestDatabase(other, { migrate: false });
    try {
      const wrongDialect = await cleave(other, otherTarget.location, 'restore', file);
      expect(wrongDialect.code).toBe(1);
      expect(wrongDialect.err).toMatch(/is a backup of .*; the configured database is/);
    } finally {
      await otherTarget.destroy();
    }

    const notABackup = path.join(scratch, 'not-a-backup');
    writeFileSync(notABackup, 'hello\nworld');
    expect((await cleave(dialect, target.location, 'restore', notABackup)).err).toMatch(
      /is not a Cleave backup/,
    );

    const damaged = path.join(scratch, `${dialect}-damaged.backup`);
    writeFileSync(damaged, readFileSync(file));
    truncateSync(damaged, readFileSync(file).length - 10);
    const truncated = await cleave(dialect, target.location, 'restore', damaged);
    expect(truncated.code).toBe(1);
    expect(truncated.err).toMatch(/is damaged/);

    const bytes = readFileSync(file);
    const newline = bytes.indexOf(10);
    const header = JSON.parse(bytes.subarray(0, newline).toString());
    const future = path.join(scratch, `${dialect}-future.backup`);
    writeFileSync(
      future,
      Buffer.concat([
        Buffer.from(`${JSON.stringify({ ...header, formatVersion: 2 })}`),
        bytes.subarray(newline),
      ]),
    );
    expect((await cleave(dialect, target.location, 'restore', future)).err).toMatch(
      /format version 2; this Cleave reads version 1/,
    );

    writeFileSync(
      future,
      Buffer.concat([
        Buffer.from(`${JSON.stringify({ ...header, migration: '2099-01-01-001-future' })}`),
        bytes.subarray(newline),
      ]),
    );
    expect((await cleave(dialect, target.location, 'restore', future)).err).toMatch(
      /at migration 2099-01-01-001-future, which this Cleave .* does not know/,
    );
    // Nothing was restored by any of the refused attempts.
    expect(await rowCounts(target.database.db)).toEqual({});
  });

  it('restores a backup taken at an older migration and migrates it to the latest (upgrade path)', async () => {
    const names = Object.keys(migrationsFor(dialect));
    const older = names.at(-2) as string;
    const oldInstance = await createTestDatabase(dialect, { migrate: false });
    const oldFile = path.join(scratch, `${dialect}-old.backup`);
    try {
      const migrator = new Migrator({ db: oldInstance.database.db, provider: migrationProvider(dialect) });
      const { error } = await migrator.migrateTo(older);
      expect(error).toBeUndefined();
      const now = new Date().toISOString();
      await oldInstance.database.db
        .insertInto('projects')
        .values({
          id: 'p1',
          key: 'legacy',
          name: 'Legacy',
          description: '',
          created_at: now,
          updated_at: now,
          version: 3,
        })
        .execute();
      const backup = await cleave(dialect, oldInstance.location, 'backup', oldFile);
      expect(backup.code).toBe(0);
      expect(backup.out).toContain(`migration ${older}`);
    } finally {
      await oldInstance.destroy();
    }

    target = await createTestDatabase(dialect, { migrate: false });
    const restore = await cleave(dialect, target.location, 'restore', oldFile);
    expect(restore).toMatchObject({ code: 0, err: '' });
    expect(restore.out).toContain(
      `applied ${names.length - names.indexOf(older) - 1} migration(s): ${names.slice(names.indexOf(older) + 1).join(', ')}`,
    );
    expect(await target.database.db.selectFrom('projects').select(['key', 'version']).execute()).toEqual([
      { key: 'legacy', version: 3 },
    ]);
    const applied = await new Migrator({
      db: target.database.db,
      provider: migrationProvider(dialect),
    }).getMigrations();
    expect(applied.every((migration) => migration.executedAt !== undefined)).toBe(true);
  });
});

describe('cleave usage', () => {
  it('prints usage and exits 2 for an unknown command, a missing file or an unknown option', async () => {
    for (const args of [['frobnicate'], ['backup'], ['restore', 'a', 'b'], ['backup', 'x', '--force'], []]) {
      const result = await cleave('sqlite', path.join(scratch, 'unused', 'cleave.db'), ...args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.err).toContain('Usage: cleave <command>');
    }
  });

  it('says there is no database to back up instead of creating an empty one', async () => {
    const result = await cleave(
      'sqlite',
      path.join(scratch, 'nothing-here', 'cleave.db'),
      'backup',
      path.join(scratch, 'x.backup'),
    );
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/There is no embedded database at .*nothing-here/);
  });
});
