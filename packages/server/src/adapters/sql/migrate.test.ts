import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../test-support/databases.js';
import { migrateToLatest } from './migrate.js';
import { migrationsFor } from './migrations/index.js';

const FOUNDATION_TABLES = ['api_keys', 'audit_log', 'environments', 'events', 'projects', 'users'];

describe.each(DIALECTS)('migrations on %s', (dialect) => {
  let test: TestDatabase | undefined;
  afterEach(async () => {
    await test?.destroy();
    test = undefined;
  });

  async function tableNames(): Promise<string[]> {
    const tables = await test?.database.db.introspection.getTables();
    return (tables ?? []).map((table) => table.name).sort();
  }

  it('creates every table from an empty database, then has nothing left to apply', async () => {
    test = await createTestDatabase(dialect, { migrate: false });
    const first = await migrateToLatest(test.database);
    expect(first.applied).toEqual(Object.keys(migrationsFor(dialect)));
    expect(await tableNames()).toEqual(expect.arrayContaining(FOUNDATION_TABLES));

    const second = await migrateToLatest(test.database);
    expect(second.applied).toEqual([]);
  });

  it('enforces the constraints the stores rely on', async () => {
    test = await createTestDatabase(dialect);
    const { db } = test.database;
    const now = new Date().toISOString();
    await db
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
    await expect(
      db
        .insertInto('projects')
        .values({
          id: 'p2',
          key: 'shop',
          name: 'Again',
          description: '',
          created_at: now,
          updated_at: now,
          version: 1,
        })
        .execute(),
    ).rejects.toThrow();
    await expect(
      db
        .insertInto('api_keys')
        .values({
          id: 'k1',
          project_id: 'p1',
          environment_id: null,
          kind: 'root' as 'admin',
          name: 'x',
          prefix: 'x',
          secret_hash: 'h',
          created_by: null,
          created_at: now,
          last_used_at: null,
          revoked_at: null,
        })
        .execute(),
    ).rejects.toThrow();
    // Foreign keys are on in SQLite too: an environment of a missing project is refused.
    await expect(
      db
        .insertInto('environments')
        .values({
          id: 'e1',
          project_id: 'missing',
          key: 'dev',
          name: 'Dev',
          position: 0,
          config_version: 1,
          created_at: now,
          updated_at: now,
          version: 1,
        })
        .execute(),
    ).rejects.toThrow();
  });

  it('returns timestamps as ISO strings and sequences as numbers, as the stores expect', async () => {
    test = await createTestDatabase(dialect);
    const { db } = test.database;
    const now = '2026-11-25T12:34:56.789Z';
    await db
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
    const project = await db.selectFrom('projects').selectAll().executeTakeFirstOrThrow();
    expect(project.created_at).toBe(now);
    const count = await db
      .selectFrom('projects')
      .select(sql<number>`count(*)`.as('n'))
      .executeTakeFirstOrThrow();
    expect(count.n).toBe(1);
  });

  it('can be rolled back to empty', async () => {
    test = await createTestDatabase(dialect);
    const migrations = migrationsFor(dialect);
    for (const name of Object.keys(migrations).reverse()) await migrations[name]?.down?.(test.database.db);
    expect(await tableNames()).not.toEqual(expect.arrayContaining(['projects']));
  });
});
