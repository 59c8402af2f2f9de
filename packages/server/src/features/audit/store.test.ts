import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../test-support/databases.js';
import { sqlStores } from '../../test-support/stores.js';
import type { AuditStore } from './store.js';

describe.each(DIALECTS)('AuditStore on %s', (dialect) => {
  let test: TestDatabase;
  let audit: AuditStore;
  beforeAll(async () => {
    test = await createTestDatabase(dialect);
    const stores = sqlStores(test.database.db);
    audit = stores.audit;
    await stores.projects.create({
      id: 'p1',
      key: 'one',
      name: 'One',
      description: '',
      now: '2026-11-25T00:00:00.000Z',
    });
    await stores.projects.create({
      id: 'p2',
      key: 'two',
      name: 'Two',
      description: '',
      now: '2026-11-25T00:00:00.000Z',
    });
  });
  afterAll(async () => {
    await test?.destroy();
  });

  const entry = (id: string, projectId: string | null, resourceId: string) => ({
    id,
    now: '2026-11-25T12:00:00.000Z',
    projectId,
    actor: { type: 'user' as const, id: 'u-1' },
    action: 'flag.updated',
    resourceType: 'flag',
    resourceId,
    before: { enabled: false, nested: { list: [1, 2] } },
    after: { enabled: true, nested: { list: [1, 2, 3] } },
    requestId: 'req-1',
  });

  it('records an entry and reads back the same before and after documents', async () => {
    const recorded = await audit.record(entry('a1', 'p1', 'flag-a'));
    expect(recorded).toMatchObject({
      id: 'a1',
      projectId: 'p1',
      actor: { type: 'user', id: 'u-1' },
      action: 'flag.updated',
      before: { enabled: false, nested: { list: [1, 2] } },
      after: { enabled: true, nested: { list: [1, 2, 3] } },
      requestId: 'req-1',
      createdAt: '2026-11-25T12:00:00.000Z',
    });
    expect(typeof recorded.sequence).toBe('number');
  });

  it('lists newest first, filters by project and resource, and pages by sequence', async () => {
    await audit.record(entry('a2', 'p1', 'flag-b'));
    await audit.record(entry('a3', 'p2', 'flag-a'));
    await audit.record(entry('a4', 'p1', 'flag-a'));
    await audit.record(entry('a5', null, 'instance'));

    const all = await audit.list({ limit: 10 });
    expect(all.map((record) => record.id)).toEqual(['a5', 'a4', 'a3', 'a2', 'a1']);
    const p1 = await audit.list({ projectId: 'p1', limit: 10 });
    expect(p1.map((record) => record.id)).toEqual(['a4', 'a2', 'a1']);
    const flagA = await audit.list({
      projectId: 'p1',
      resourceType: 'flag',
      resourceId: 'flag-a',
      limit: 10,
    });
    expect(flagA.map((record) => record.id)).toEqual(['a4', 'a1']);

    const page1 = await audit.list({ limit: 2 });
    const page2 = await audit.list({ limit: 2, before: page1.at(-1)?.sequence });
    expect([...page1, ...page2].map((record) => record.id)).toEqual(['a5', 'a4', 'a3', 'a2']);
  });

  it('filters by actor and by a time range (since inclusive, until exclusive)', async () => {
    const at = (id: string, now: string, actorId: string) => ({
      ...entry(id, 'p2', `when-${id}`),
      now,
      actor: { type: 'api_key' as const, id: actorId },
    });
    await audit.record(at('t1', '2026-11-26T08:00:00.000Z', 'key-1'));
    await audit.record(at('t2', '2026-11-26T12:00:00.000Z', 'key-2'));
    await audit.record(at('t3', '2026-11-27T08:00:00.000Z', 'key-1'));

    const byActor = await audit.list({ projectId: 'p2', actorType: 'api_key', actorId: 'key-1', limit: 10 });
    expect(byActor.map((record) => record.id)).toEqual(['t3', 't1']);
    const byUser = await audit.list({ projectId: 'p2', actorType: 'user', limit: 10 });
    expect(byUser.map((record) => record.id)).toEqual(['a3']);
    const range = await audit.list({
      projectId: 'p2',
      since: '2026-11-26T12:00:00.000Z',
      until: '2026-11-27T08:00:00.000Z',
      limit: 10,
    });
    expect(range.map((record) => record.id)).toEqual(['t2']);
  });
});
