import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConflictError, VersionConflictError } from '../../http/errors.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../test-support/databases.js';
import { sqlStores, sqlTransactor } from '../../test-support/stores.js';
import type { ProjectStore } from './store.js';

const NOW = '2026-11-25T10:00:00.000Z';
const LATER = '2026-11-25T11:00:00.000Z';

describe.each(DIALECTS)('ProjectStore on %s', (dialect) => {
  let test: TestDatabase;
  let projects: ProjectStore;
  beforeAll(async () => {
    test = await createTestDatabase(dialect);
    projects = sqlStores(test.database.db).projects;
  });
  afterAll(async () => {
    await test?.destroy();
  });

  it('creates a project and finds it by id and by key', async () => {
    const created = await projects.create({
      id: 'p-shop',
      key: 'shop',
      name: 'Shop',
      description: 'Web shop',
      now: NOW,
    });
    expect(created).toEqual({
      id: 'p-shop',
      key: 'shop',
      name: 'Shop',
      description: 'Web shop',
      createdAt: NOW,
      updatedAt: NOW,
      version: 1,
    });
    expect(await projects.findById('p-shop')).toEqual(created);
    expect(await projects.findByKey('shop')).toEqual(created);
    expect(await projects.findByKey('nope')).toBeUndefined();
  });

  it('refuses a second project with the same key', async () => {
    await expect(
      projects.create({ id: 'p-other', key: 'shop', name: 'X', description: '', now: NOW }),
    ).rejects.toBeInstanceOf(ConflictError);
  });

  it('pages through projects in key order', async () => {
    for (const key of ['alpha', 'beta', 'gamma']) {
      await projects.create({ id: `p-${key}`, key, name: key, description: '', now: NOW });
    }
    const first = await projects.list({ limit: 2 });
    expect(first.map((project) => project.key)).toEqual(['alpha', 'beta']);
    const second = await projects.list({ limit: 2, after: 'beta' });
    expect(second.map((project) => project.key)).toEqual(['gamma', 'shop']);
  });

  it('updates with the current version and rejects a stale one', async () => {
    const updated = await projects.update('p-shop', { name: 'Shop 2' }, 1, LATER);
    expect(updated).toMatchObject({ name: 'Shop 2', description: 'Web shop', version: 2, updatedAt: LATER });
    await expect(projects.update('p-shop', { name: 'Lost update' }, 1, LATER)).rejects.toBeInstanceOf(
      VersionConflictError,
    );
    expect((await projects.findById('p-shop'))?.name).toBe('Shop 2');
  });

  it('keeps environments per project, ordered, with unique keys', async () => {
    await projects.createEnvironment({
      id: 'e-prod',
      projectId: 'p-shop',
      key: 'production',
      name: 'Production',
      position: 2,
      now: NOW,
    });
    await projects.createEnvironment({
      id: 'e-dev',
      projectId: 'p-shop',
      key: 'development',
      name: 'Development',
      position: 0,
      now: NOW,
    });
    await projects.createEnvironment({
      id: 'e-alpha-dev',
      projectId: 'p-alpha',
      key: 'development',
      name: 'Dev',
      position: 0,
      now: NOW,
    });
    await expect(
      projects.createEnvironment({
        id: 'e-dup',
        projectId: 'p-shop',
        key: 'production',
        name: 'Again',
        position: 3,
        now: NOW,
      }),
    ).rejects.toBeInstanceOf(ConflictError);
    const environments = await projects.listEnvironments('p-shop');
    expect(environments.map((environment) => environment.key)).toEqual(['development', 'production']);
    expect(environments[0]).toEqual({
      id: 'e-dev',
      projectId: 'p-shop',
      key: 'development',
      name: 'Development',
      position: 0,
      configVersion: 1,
      createdAt: NOW,
      updatedAt: NOW,
      version: 1,
    });
  });

  it('commits a change and its audit record together, and rolls both back on failure', async () => {
    const transactor = sqlTransactor(test.database);
    await transactor.run(async ({ projects: inTransaction, audit }) => {
      const project = await inTransaction.create({
        id: 'p-tx',
        key: 'tx',
        name: 'Tx',
        description: '',
        now: NOW,
      });
      await audit.record({
        id: 'a-tx-1',
        now: NOW,
        projectId: project.id,
        actor: { type: 'system', id: null },
        action: 'project.created',
        resourceType: 'project',
        resourceId: project.id,
        before: null,
        after: project,
        requestId: null,
      });
    });
    expect(await projects.findByKey('tx')).toBeDefined();

    await expect(
      transactor.run(async ({ projects: inTransaction, audit }) => {
        await inTransaction.create({
          id: 'p-rolled-back',
          key: 'rolled-back',
          name: 'R',
          description: '',
          now: NOW,
        });
        await audit.record({
          id: 'a-tx-2',
          now: NOW,
          projectId: 'p-rolled-back',
          actor: { type: 'system', id: null },
          action: 'project.created',
          resourceType: 'project',
          resourceId: 'p-rolled-back',
          before: null,
          after: null,
          requestId: null,
        });
        throw new Error('boom after both writes');
      }),
    ).rejects.toThrow('boom after both writes');
    expect(await projects.findByKey('rolled-back')).toBeUndefined();
    const { audit } = sqlStores(test.database.db);
    expect(await audit.list({ resourceId: 'p-rolled-back', limit: 10 })).toEqual([]);
    expect(await audit.list({ resourceId: 'p-tx', limit: 10 })).toHaveLength(1);
  });
});
