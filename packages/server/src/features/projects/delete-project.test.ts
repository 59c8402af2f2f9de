import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test-support/databases.js';
import { type Credentials, createTestApp, type TestApp } from '../../test-support/test-app.js';

describe.each(DIALECTS)('deleting a project (%s)', (dialect) => {
  let test: TestApp;
  let owner: Credentials & { userId: string };
  let sdk: Credentials;
  let environmentId: string;
  let projectId: string;
  const remove = (headers: Record<string, string>, as: Credentials = owner, payload?: { version: number }) =>
    test.request(
      { method: 'DELETE', url: '/api/v1/projects/doomed', ...(payload !== undefined && { payload }) },
      { headers: { ...as.headers, ...headers } },
    );

  beforeAll(async () => {
    test = await createTestApp(dialect);
    owner = await test.signUpOwner();
    const project = (
      await test.request(
        { method: 'POST', url: '/api/v1/projects', payload: { key: 'doomed', name: 'Doomed' } },
        owner,
      )
    ).json();
    projectId = project.id;
    environmentId = project.environments.find(
      (environment: { key: string }) => environment.key === 'production',
    ).id;
    await test.createProject(owner, 'kept');
    sdk = await test.environmentKey(owner, { project: 'doomed' });
    const keptSdk = await test.environmentKey(owner, { project: 'kept' });
    const event = () => ({
      id: randomUUID(),
      type: 'track',
      unitId: 'u-1',
      event: 'purchase',
      timestamp: new Date().toISOString(),
    });
    for (const as of [sdk, keptSdk]) {
      const sent = await test.request(
        { method: 'POST', url: '/api/v1/events', payload: { events: [event(), event()] } },
        as,
      );
      expect(sent.statusCode, sent.body).toBe(202);
    }
    const flag = await test.request(
      {
        method: 'POST',
        url: '/api/v1/projects/doomed/flags',
        payload: {
          key: 'checkout',
          type: 'boolean',
          variants: [
            { key: 'off', value: false },
            { key: 'on', value: true },
          ],
          defaultVariant: 'off',
          offVariant: 'off',
        },
      },
      owner,
    );
    expect(flag.statusCode, flag.body).toBe(201);
  });
  afterAll(async () => {
    await test?.close();
  });

  it('needs the version read, and refuses a stale one', async () => {
    const unversioned = await remove({});
    expect(unversioned.statusCode, unversioned.body).toBe(428);
    const stale = await remove({ 'if-match': '"7"' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('version_conflict');
  });

  it('is for owners only', async () => {
    const created = await test.request(
      { method: 'POST', url: '/api/v1/projects/doomed/api-keys', payload: { name: 'ci', kind: 'admin' } },
      owner,
    );
    const admin = test.bearer(created.json().secret);
    const refused = await remove({ 'if-match': '"1"' }, admin);
    expect(refused.statusCode).toBe(403);
  });

  it('deletes the project with its definitions, keys and events, and nothing of another project', async () => {
    const total = await test.eventStore.count();
    const deleted = await remove({}, owner, { version: 1 });
    expect(deleted.statusCode, deleted.body).toBe(204);

    expect((await test.request({ method: 'GET', url: '/api/v1/projects/doomed' }, owner)).statusCode).toBe(
      404,
    );
    expect(
      (await test.request({ method: 'GET', url: '/api/v1/projects/doomed/flags/checkout' }, owner))
        .statusCode,
    ).toBe(404);
    // Its SDK key stops working at once.
    const config = await test.request({ method: 'GET', url: '/api/v1/sdk/config' }, sdk);
    expect(config.statusCode, config.body).toBe(401);
    expect(await test.eventStore.count({ environmentId })).toBe(0);
    expect(await test.eventStore.count()).toBe(total - 2);
    expect((await test.request({ method: 'GET', url: '/api/v1/projects/kept' }, owner)).statusCode).toBe(200);
  });

  it("keeps the deleted project's audit trail, its deletion included, for instance administrators only", async () => {
    // Runs after the deletion above.
    const trail = await test.request({ method: 'GET', url: `/api/v1/audit?projectId=${projectId}` }, owner);
    expect(trail.statusCode, trail.body).toBe(200);
    const records: Array<{ action: string; projectId: string; actor: { id: string } }> = trail.json().items;
    expect(records.map((record) => record.action)).toEqual(
      expect.arrayContaining(['project.deleted', 'flag.created', 'project.created']),
    );
    expect(records.every((record) => record.projectId === projectId)).toBe(true);
    // Newest first: the deletion, and who made it.
    expect(records[0]).toMatchObject({
      action: 'project.deleted',
      actor: { type: 'user', id: owner.userId },
      resourceType: 'project',
      resourceId: projectId,
      before: expect.objectContaining({ key: 'doomed' }),
      after: null,
    });
    // The deletion can be found without knowing the id beforehand.
    const deletions = await test.request(
      { method: 'GET', url: '/api/v1/audit?resourceType=project&limit=100' },
      owner,
    );
    expect(
      deletions.json().items.filter((record: { action: string }) => record.action === 'project.deleted'),
    ).toEqual([expect.objectContaining({ projectId, resourceId: projectId })]);

    const person = await test.createPerson(owner, `member-${randomUUID()}@example.com`);
    const refused = await test.request(
      { method: 'GET', url: `/api/v1/audit?projectId=${projectId}` },
      person,
    );
    expect(refused.statusCode).toBe(403);
  });
});
