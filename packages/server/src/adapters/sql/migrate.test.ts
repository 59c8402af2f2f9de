import { Migrator, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../test-support/databases.js';
import { migrateToLatest } from './migrate.js';
import { migrationProvider, migrationsFor } from './migrations/index.js';

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

  it('runs on a schema a newer release migrated, and refuses one from another line of releases', async () => {
    test = await createTestDatabase(dialect);
    const { db } = test.database;
    // What the next release's migration leaves: its row in Kysely's table, and its change.
    const future = '2099-01-01-001-next-release';
    await sql`insert into kysely_migration (name, timestamp) values (${future}, ${new Date().toISOString()})`.execute(
      db,
    );
    const report = await migrateToLatest(test.database);
    expect(report).toEqual({ applied: [], newer: [future] });
    // Kysely alone refuses it: the check this module puts in front of it is what lets it start.
    const kysely = new Migrator({ db, provider: migrationProvider(dialect) });
    expect((await kysely.migrateToLatest()).error).toBeDefined();

    const [last] = Object.keys(migrationsFor(dialect)).slice(-1);
    await sql`delete from kysely_migration where name = ${last}`.execute(db);
    await expect(migrateToLatest(test.database)).rejects.toThrow(/different line of releases/);
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

  it('re-keys stored events by environment, keeping every row, so another environment may reuse an id', async () => {
    test = await createTestDatabase(dialect, { migrate: false });
    const { db } = test.database;
    const migrator = new Migrator({ db, provider: migrationProvider(dialect) });
    expect((await migrator.migrateTo('2026-11-25-003-events')).error).toBeUndefined();
    const row = {
      event_id: '0192a3b4-0000-7000-8000-000000000001',
      project_id: 'p1',
      environment_id: 'e1',
      type: 'track' as const,
      unit_id: 'u-1',
      experiment: null,
      variant: null,
      event_name: 'purchase',
      value: 2.5,
      properties: '{"plan":"pro"}',
      occurred_at: '2026-11-25T12:00:00.000Z',
      received_at: '2026-11-25T12:00:01.000Z',
    };
    if (dialect === 'postgres')
      await sql`create table events_20261125 partition of events for values from ('2026-11-25T00:00:00Z') to ('2026-11-26T00:00:00Z')`.execute(
        db,
      );
    await db.insertInto('events').values(row).execute();
    // Under the old key the same id and time in another project collide.
    await expect(
      db
        .insertInto('events')
        .values({ ...row, project_id: 'p2', environment_id: 'e2' })
        .execute(),
    ).rejects.toThrow();

    await migrateToLatest(test.database);
    expect(await db.selectFrom('events').selectAll().execute()).toEqual([
      expect.objectContaining({ ...row, properties: expect.anything() }),
    ]);
    await db
      .insertInto('events')
      .values({ ...row, project_id: 'p2', environment_id: 'e2' })
      .execute();
    await expect(db.insertInto('events').values(row).execute()).rejects.toThrow();
  });

  it('keeps audit records, their sequence numbers and indexes through 014, and no longer deletes them with their project', async () => {
    test = await createTestDatabase(dialect, { migrate: false });
    const { db } = test.database;
    const migrator = new Migrator({ db, provider: migrationProvider(dialect) });
    expect((await migrator.migrateTo('2026-11-30-013-analysis-series-days')).error).toBeUndefined();
    const now = '2026-11-25T12:00:00.000Z';
    for (const id of ['p1', 'p2'])
      await db
        .insertInto('projects')
        .values({ id, key: id, name: id, description: '', created_at: now, updated_at: now, version: 1 })
        .execute();
    const record = (id: string, projectId: string | null) => ({
      id,
      project_id: projectId,
      actor_type: 'user',
      actor_id: 'u1',
      action: 'flag.created',
      resource_type: 'flag',
      resource_id: `flag-${id}`,
      before: null,
      after: '{"key":"checkout"}',
      request_id: 'req-1',
      created_at: now,
    });
    for (const [id, projectId] of [
      ['a1', 'p1'],
      ['a2', 'p2'],
      ['a3', null],
      ['a4', 'p1'],
      ['a5', 'p2'],
    ] as const)
      await db.insertInto('audit_log').values(record(id, projectId)).execute();
    // Under the old schema, deleting a project takes its records along.
    await db.deleteFrom('projects').where('id', '=', 'p2').execute();
    const before = await db.selectFrom('audit_log').selectAll().orderBy('sequence').execute();
    expect(before.map((row) => row.id)).toEqual(['a1', 'a3', 'a4']);

    await migrateToLatest(test.database);
    expect(await db.selectFrom('audit_log').selectAll().orderBy('sequence').execute()).toEqual(before);
    await db.deleteFrom('projects').where('id', '=', 'p1').execute();
    expect(
      await db.selectFrom('audit_log').select(['id', 'project_id']).orderBy('sequence').execute(),
    ).toEqual([
      { id: 'a1', project_id: 'p1' },
      { id: 'a3', project_id: null },
      { id: 'a4', project_id: 'p1' },
    ]);
    // Sequence numbers go on above every record ever written (a5 was 5), never reusing one.
    const next = await db
      .insertInto('audit_log')
      .values(record('a6', 'p1'))
      .returning('sequence')
      .executeTakeFirstOrThrow();
    expect(Number(next.sequence)).toBe(6);
    const indexes =
      dialect === 'postgres'
        ? await sql<{
            name: string;
          }>`select indexname as name from pg_indexes where tablename = 'audit_log'`.execute(db)
        : await sql<{
            name: string;
          }>`select name from sqlite_master where type = 'index' and tbl_name = 'audit_log'`.execute(db);
    expect(indexes.rows.map((row) => row.name)).toEqual(
      expect.arrayContaining(['audit_log_project_idx', 'audit_log_resource_idx']),
    );
    // Ids stay unique.
    await expect(db.insertInto('audit_log').values(record('a1', null)).execute()).rejects.toThrow();
  });

  it('indexes the references of definitions stored before the references index existed', async () => {
    test = await createTestDatabase(dialect, { migrate: false });
    const { db } = test.database;
    const migrator = new Migrator({ db, provider: migrationProvider(dialect) });
    expect((await migrator.migrateTo('2026-11-29-004-event-identity-per-environment')).error).toBeUndefined();
    const now = '2026-11-25T12:00:00.000Z';
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
    const definition = (table: 'flags' | 'segments' | 'holdouts', key: string, document: unknown) =>
      db
        .insertInto(table)
        .values({
          id: `${table}-${key}`,
          project_id: 'p1',
          key,
          name: key,
          description: '',
          tags: '[]',
          status: 'active',
          definition: JSON.stringify(document),
          created_at: now,
          updated_at: now,
          version: 1,
        })
        .execute();
    await definition('segments', 'eu', {
      key: 'eu',
      conditions: [{ attribute: 'c', operator: 'eq', value: 'NL' }],
    });
    await definition('segments', 'eu-pro', {
      key: 'eu-pro',
      conditions: [{ not: { any: [{ segment: 'eu' }] } }],
    });
    await definition('holdouts', 'h', { key: 'h', fraction: 0.1, layerKey: 'checkout' });
    await definition('flags', 'checkout', {
      key: 'checkout',
      environments: {
        production: {
          enabled: true,
          prerequisites: [{ flagKey: 'cart', variants: ['on'] }],
          rules: [
            { id: 'a', type: 'force', variant: 'on', conditions: [{ segment: 'eu-pro' }] },
            { id: 'b', type: 'experiment', experimentKey: 'cta' },
          ],
        },
        staging: { enabled: false, prerequisites: [{ flagKey: 'cart', variants: ['off'] }] },
      },
    });

    await migrateToLatest(test.database);
    const rows = await db
      .selectFrom('definition_references')
      .select(['from_kind', 'from_key', 'to_kind', 'to_key'])
      .orderBy('from_kind')
      .orderBy('from_key')
      .orderBy('to_kind')
      .execute();
    expect(rows).toEqual([
      { from_kind: 'flags', from_key: 'checkout', to_kind: 'experiments', to_key: 'cta' },
      { from_kind: 'flags', from_key: 'checkout', to_kind: 'flags', to_key: 'cart' },
      { from_kind: 'flags', from_key: 'checkout', to_kind: 'segments', to_key: 'eu-pro' },
      { from_kind: 'holdouts', from_key: 'h', to_kind: 'layers', to_key: 'checkout' },
      { from_kind: 'segments', from_key: 'eu-pro', to_kind: 'segments', to_key: 'eu' },
    ]);
  });

  it('keeps every existing account enabled through 015, and round-trips a disabled one', async () => {
    test = await createTestDatabase(dialect, { migrate: false });
    const { db } = test.database;
    const migrator = new Migrator({ db, provider: migrationProvider(dialect) });
    expect((await migrator.migrateTo('2026-11-30-014-audit-outlives-projects')).error).toBeUndefined();
    const now = '2026-11-25T12:00:00.000Z';
    const account = (id: string) => ({
      id,
      email: `${id}@example.com`,
      name: id,
      password_hash: 'hash',
      created_at: now,
      updated_at: now,
      last_login_at: null,
      is_instance_admin: 0,
      version: 1,
    });
    await db.insertInto('users').values(account('u1')).execute();

    await migrateToLatest(test.database);
    const kept = await db.selectFrom('users').select(['id', 'disabled_at']).execute();
    expect(kept).toEqual([{ id: 'u1', disabled_at: null }]);
    await db
      .insertInto('users')
      .values({ ...account('u2'), disabled_at: now })
      .execute();
    const disabled = await db
      .selectFrom('users')
      .select('disabled_at')
      .where('id', '=', 'u2')
      .executeTakeFirstOrThrow();
    expect(disabled.disabled_at).toBe(now);

    expect((await migrator.migrateTo('2026-11-30-014-audit-outlives-projects')).error).toBeUndefined();
    const columns = (await db.introspection.getTables()).find((table) => table.name === 'users')?.columns;
    expect(columns?.map((column) => column.name)).not.toContain('disabled_at');
  });

  it('can be rolled back to empty', async () => {
    test = await createTestDatabase(dialect);
    const migrations = migrationsFor(dialect);
    for (const name of Object.keys(migrations).reverse()) await migrations[name]?.down?.(test.database.db);
    expect(await tableNames()).not.toEqual(expect.arrayContaining(['projects']));
  });
});
