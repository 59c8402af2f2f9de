import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test-support/databases.js';
import { type Credentials, createTestApp, type TestApp } from '../../test-support/test-app.js';

describe.each(DIALECTS)('projects API (%s)', (dialect) => {
  let test: TestApp;
  let owner: Credentials & { userId: string };
  beforeAll(async () => {
    test = await createTestApp(dialect);
    owner = await test.signUpOwner();
  });
  afterAll(async () => {
    await test?.close();
  });

  it('creates a project with development, staging and production, owned by its creator', async () => {
    const response = await test.request(
      { method: 'POST', url: '/api/v1/projects', payload: { key: 'shop', name: 'Shop' } },
      owner,
    );
    expect(response.statusCode).toBe(201);
    const project = response.json();
    expect(project).toMatchObject({ key: 'shop', name: 'Shop', description: '', version: 1 });
    expect(project.environments.map((environment: { key: string }) => environment.key)).toEqual([
      'development',
      'staging',
      'production',
    ]);
    expect(response.headers.etag).toBe('"1"');
    const members = (
      await test.request({ method: 'GET', url: '/api/v1/projects/shop/members' }, owner)
    ).json();
    expect(members.items).toEqual([expect.objectContaining({ email: 'owner@example.com', role: 'owner' })]);
  });

  it('refuses a duplicate key with 409 and a bad key with 400 naming the field', async () => {
    const duplicate = await test.request(
      { method: 'POST', url: '/api/v1/projects', payload: { key: 'shop', name: 'Again' } },
      owner,
    );
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().error.code).toBe('conflict');
    const bad = await test.request(
      { method: 'POST', url: '/api/v1/projects', payload: { key: 'Has Spaces', name: '', colour: 'red' } },
      owner,
    );
    expect(bad.statusCode).toBe(400);
    const paths = bad.json().error.details.issues.map((issue: { path: string }) => issue.path);
    expect(paths).toEqual(expect.arrayContaining(['/body/key', '/body/name']));
    const unknown = await test.request(
      { method: 'POST', url: '/api/v1/projects', payload: { key: 'ok', name: 'Ok', colour: 'red' } },
      owner,
    );
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.details.issues).toEqual([
      { path: '/body/colour', message: 'is not a known field' },
    ]);
  });

  it('pages through projects with an opaque cursor', async () => {
    for (const key of ['alpha', 'beta', 'gamma']) {
      await test.request({ method: 'POST', url: '/api/v1/projects', payload: { key, name: key } }, owner);
    }
    const first = (await test.request({ method: 'GET', url: '/api/v1/projects?limit=2' }, owner)).json();
    expect(first.items.map((project: { key: string }) => project.key)).toEqual(['alpha', 'beta']);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = (
      await test.request({ method: 'GET', url: `/api/v1/projects?limit=2&cursor=${first.nextCursor}` }, owner)
    ).json();
    expect(second.items.map((project: { key: string }) => project.key)).toEqual(['gamma', 'shop']);
    expect(second.nextCursor).toBeNull();
    const badCursor = await test.request({ method: 'GET', url: '/api/v1/projects?cursor=garbage' }, owner);
    expect(badCursor.statusCode).toBe(400);
  });

  it('updates with optimistic concurrency: body version or If-Match, 409 when stale, 428 when missing', async () => {
    const updated = await test.request(
      { method: 'PATCH', url: '/api/v1/projects/shop', payload: { name: 'Shop EU', version: 1 } },
      owner,
    );
    expect(updated.statusCode).toBe(200);
    expect(updated.json()).toMatchObject({ name: 'Shop EU', version: 2 });
    const stale = await test.request(
      { method: 'PATCH', url: '/api/v1/projects/shop', payload: { name: 'Lost', version: 1 } },
      owner,
    );
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error).toMatchObject({
      code: 'version_conflict',
      details: { expectedVersion: 1, currentVersion: 2 },
    });
    const viaHeader = await test.request(
      {
        method: 'PATCH',
        url: '/api/v1/projects/shop',
        payload: { description: 'EU store' },
        headers: { 'if-match': '"2"' },
      },
      owner,
    );
    expect(viaHeader.statusCode).toBe(200);
    expect(viaHeader.headers.etag).toBe('"3"');
    const missing = await test.request(
      { method: 'PATCH', url: '/api/v1/projects/shop', payload: { name: 'No version' } },
      owner,
    );
    expect(missing.statusCode).toBe(428);
    expect(missing.json().error.code).toBe('version_required');
  });

  it('adds environments with unique keys', async () => {
    const created = await test.request(
      { method: 'POST', url: '/api/v1/projects/shop/environments', payload: { key: 'qa', name: 'QA' } },
      owner,
    );
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ key: 'qa', position: 3, configVersion: 1 });
    const duplicate = await test.request(
      { method: 'POST', url: '/api/v1/projects/shop/environments', payload: { key: 'qa', name: 'QA again' } },
      owner,
    );
    expect(duplicate.statusCode).toBe(409);
    const list = (
      await test.request({ method: 'GET', url: '/api/v1/projects/shop/environments' }, owner)
    ).json();
    expect(list.items.map((environment: { key: string }) => environment.key)).toEqual([
      'development',
      'staging',
      'production',
      'qa',
    ]);
  });

  it('records every change in the audit log with actor, before and after', async () => {
    const audit = (
      await test.request({ method: 'GET', url: '/api/v1/projects/shop/audit?limit=10' }, owner)
    ).json();
    const actions = audit.items.map((record: { action: string }) => record.action);
    expect(actions).toEqual(['environment.created', 'project.updated', 'project.updated', 'project.created']);
    const rename = audit.items.at(-2);
    expect(rename.after).toMatchObject({ name: 'Shop EU', version: 2 });
    expect(rename).toMatchObject({ actor: { type: 'user', id: owner.userId }, before: { name: 'Shop' } });
    expect(rename.requestId).toEqual(expect.any(String));
  });

  it('filters the audit log by actor and time range, and refuses a malformed time naming the field', async () => {
    const url = '/api/v1/projects/shop/audit';
    const all = (await test.request({ method: 'GET', url }, owner)).json().items;
    const byOwner = (
      await test.request({ method: 'GET', url: `${url}?actorType=user&actorId=${owner.userId}` }, owner)
    ).json().items;
    expect(byOwner).toHaveLength(all.length);
    const bySomeoneElse = (
      await test.request({ method: 'GET', url: `${url}?actorType=user&actorId=nobody` }, owner)
    ).json().items;
    expect(bySomeoneElse).toEqual([]);

    const newest = all[0].createdAt as string;
    const since = (
      await test.request({ method: 'GET', url: `${url}?since=${encodeURIComponent(newest)}` }, owner)
    ).json().items;
    expect(since.map((record: { id: string }) => record.id)).toContain(all[0].id);
    expect(since.every((record: { createdAt: string }) => record.createdAt >= newest)).toBe(true);
    const until = (
      await test.request(
        { method: 'GET', url: `${url}?until=${encodeURIComponent(all.at(-1).createdAt)}` },
        owner,
      )
    ).json().items;
    expect(until).toEqual([]);

    const bad = await test.request({ method: 'GET', url: `${url}?since=yesterday` }, owner);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.issues.map((issue: { path: string }) => issue.path)).toEqual([
      '/querystring/since',
    ]);
  });

  it('answers 403 for a project the caller cannot see, and 404 to an instance admin for a missing one', async () => {
    const outsider = await test.createPerson(owner, 'outsider@example.com');
    const hidden = await test.request({ method: 'GET', url: '/api/v1/projects/shop' }, outsider);
    expect(hidden.statusCode).toBe(403);
    const listed = (await test.request({ method: 'GET', url: '/api/v1/projects' }, outsider)).json();
    expect(listed.items).toEqual([]);
    const missing = await test.request({ method: 'GET', url: '/api/v1/projects/nothing' }, owner);
    expect(missing.statusCode).toBe(404);
  });
});
