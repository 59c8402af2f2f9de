import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test-support/databases.js';
import { type Credentials, createTestApp, type TestApp } from '../../test-support/test-app.js';

describe.each(DIALECTS)('members and roles (%s)', (dialect) => {
  let test: TestApp;
  let instanceAdmin: Credentials;
  let owner: Credentials & { userId: string };
  let admin: Credentials & { userId: string };
  let viewer: Credentials & { userId: string };
  beforeAll(async () => {
    test = await createTestApp(dialect);
    instanceAdmin = await test.signUpOwner('root@example.com');
    await test.request(
      { method: 'POST', url: '/api/v1/projects', payload: { key: 'shop', name: 'Shop' } },
      instanceAdmin,
    );
    owner = await test.createPerson(instanceAdmin, 'owner@example.com');
    admin = await test.createPerson(instanceAdmin, 'admin@example.com');
    viewer = await test.createPerson(instanceAdmin, 'viewer@example.com');
    for (const [email, role] of [
      ['owner@example.com', 'owner'],
      ['admin@example.com', 'admin'],
      ['viewer@example.com', 'viewer'],
    ]) {
      const response = await test.request(
        { method: 'PUT', url: '/api/v1/projects/shop/members', payload: { email, role } },
        instanceAdmin,
      );
      expect(response.statusCode).toBe(200);
    }
  });
  afterAll(async () => {
    await test?.close();
  });

  it('lets members read and keeps viewers from changing anything', async () => {
    expect((await test.request({ method: 'GET', url: '/api/v1/projects/shop' }, viewer)).statusCode).toBe(
      200,
    );
    const change = await test.request(
      { method: 'POST', url: '/api/v1/projects/shop/environments', payload: { key: 'qa', name: 'QA' } },
      viewer,
    );
    expect(change.statusCode).toBe(403);
    expect(change.json().error.details).toEqual({ role: 'viewer', permission: 'manage' });
  });

  it('lets admins manage members but not owners', async () => {
    const demote = await test.request(
      {
        method: 'PUT',
        url: '/api/v1/projects/shop/members',
        payload: { email: 'owner@example.com', role: 'viewer' },
      },
      admin,
    );
    expect(demote.statusCode).toBe(403);
    const promote = await test.request(
      {
        method: 'PUT',
        url: '/api/v1/projects/shop/members',
        payload: { email: 'viewer@example.com', role: 'owner' },
      },
      admin,
    );
    expect(promote.statusCode).toBe(403);
    const editor = await test.request(
      {
        method: 'PUT',
        url: '/api/v1/projects/shop/members',
        payload: { email: 'viewer@example.com', role: 'editor' },
      },
      admin,
    );
    expect(editor.statusCode).toBe(200);
    expect(editor.json().role).toBe('editor');
  });

  it('keeps at least one owner', async () => {
    const members = (
      await test.request({ method: 'GET', url: '/api/v1/projects/shop/members' }, owner)
    ).json().items;
    const owners = members.filter((member: { role: string }) => member.role === 'owner');
    // The instance admin who created the project and owner@example.com are both owners.
    expect(owners).toHaveLength(2);
    const rootId = owners.find((member: { email: string }) => member.email === 'root@example.com').userId;
    expect(
      (await test.request({ method: 'DELETE', url: `/api/v1/projects/shop/members/${rootId}` }, owner))
        .statusCode,
    ).toBe(204);
    const last = await test.request(
      { method: 'DELETE', url: `/api/v1/projects/shop/members/${owner.userId}` },
      owner,
    );
    expect(last.statusCode).toBe(409);
  });

  it('answers 404 for an unknown email or member', async () => {
    const unknown = await test.request(
      {
        method: 'PUT',
        url: '/api/v1/projects/shop/members',
        payload: { email: 'nobody@example.com', role: 'viewer' },
      },
      owner,
    );
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.details.issues).toEqual([
      { path: '/body/email', message: 'has no account yet; create it first' },
    ]);
    expect(
      (await test.request({ method: 'DELETE', url: '/api/v1/projects/shop/members/nobody' }, owner))
        .statusCode,
    ).toBe(404);
  });
});
