import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test-support/databases.js';
import { type Credentials, createTestApp, TEST_PASSWORD, type TestApp } from '../../test-support/test-app.js';
import { sha256 } from './secrets.js';
import { KyselyUserStore } from './user-store.js';

type Person = Credentials & { userId: string };

describe.each(DIALECTS)('disabling accounts and instance administration (%s)', (dialect) => {
  let test: TestApp;
  let root: Person;

  const patch = (userId: string, payload: Record<string, unknown>, as: Credentials = root) =>
    test.request({ method: 'PATCH', url: `/api/v1/users/${userId}`, payload }, as);
  const session = (as: Credentials) => test.request({ method: 'GET', url: '/api/v1/auth/session' }, as);
  const login = (email: string, password = TEST_PASSWORD) =>
    test.request({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
  const listed = async (email: string) =>
    (await test.request({ method: 'GET', url: `/api/v1/users?search=${email}` }, root))
      .json()
      .items.find((user: { email: string }) => user.email === email);
  const auditOf = async (userId: string) =>
    (
      await test.request({ method: 'GET', url: `/api/v1/audit?resourceType=user&resourceId=${userId}` }, root)
    ).json().items as Array<{
      action: string;
      projectId: string | null;
      actor: { type: string; id: string };
      before: Record<string, unknown>;
      after: Record<string, unknown>;
      requestId: string | null;
    }>;

  beforeAll(async () => {
    test = await createTestApp(dialect);
    root = await test.signUpOwner('root@example.com');
    await test.createProject(root);
  });
  afterAll(async () => {
    await test?.close();
  });

  it('refuses every open session at once, then refuses sign-in; enabling lets the person back into their projects', async () => {
    const leaver = await test.createPerson(root, 'leaver@example.com');
    const second = await test.signIn('leaver@example.com');
    const member = await test.request(
      {
        method: 'PUT',
        url: '/api/v1/projects/shop/members',
        payload: { email: 'leaver@example.com', role: 'editor' },
      },
      root,
    );
    expect(member.statusCode).toBeLessThan(300);
    expect((await session(leaver)).statusCode).toBe(200);

    const disabled = await patch(leaver.userId, { disabled: true });
    expect(disabled.statusCode).toBe(200);
    expect(disabled.json()).toMatchObject({ id: leaver.userId, disabled: true, isInstanceAdmin: false });
    for (const credentials of [leaver, second]) {
      const refused = await session(credentials);
      expect(refused.statusCode).toBe(401);
      expect(refused.json().error.code).toBe('unauthorized');
      expect(
        (await test.request({ method: 'GET', url: '/api/v1/projects/shop' }, credentials)).statusCode,
      ).toBe(401);
    }
    expect(await listed('leaver@example.com')).toMatchObject({ disabled: true });

    // The right password learns why; a wrong one is answered as for any account.
    const refusedSignIn = await login('leaver@example.com');
    expect(refusedSignIn.statusCode).toBe(403);
    expect(refusedSignIn.json().error.code).toBe('account_disabled');
    expect(refusedSignIn.cookies.find((cookie) => cookie.name === 'cleave_session')).toBeUndefined();
    const wrong = await login('leaver@example.com', 'not the password at all');
    const unknown = await login('nobody@example.com', 'not the password at all');
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toEqual(unknown.json());

    const enabled = await patch(leaver.userId, { disabled: false });
    expect(enabled.statusCode).toBe(200);
    expect(enabled.json().disabled).toBe(false);
    // Old sessions stay ended; a new sign-in works, with the membership kept.
    expect((await session(leaver)).statusCode).toBe(401);
    const back = await test.signIn('leaver@example.com');
    const project = await test.request({ method: 'GET', url: '/api/v1/projects/shop' }, back);
    expect(project.statusCode).toBe(200);
    expect(await listed('leaver@example.com')).toMatchObject({ disabled: false });
  });

  it('refuses a session of a disabled account even if one was made after the disabling (a raced sign-in)', async () => {
    const person = await test.createPerson(root, 'raced@example.com');
    expect((await patch(person.userId, { disabled: true })).statusCode).toBe(200);
    // What a sign-in that checked the account just before the disabling committed would leave.
    const token = 'raced-session-token';
    await new KyselyUserStore(test.database.database.db).createSession({
      tokenHash: sha256(token),
      userId: person.userId,
      csrfToken: 'csrf',
      expiresAt: '2099-01-01T00:00:00.000Z',
      now: new Date().toISOString(),
    });
    const refused = await session({ headers: { cookie: `cleave_session=${token}` } });
    expect(refused.statusCode).toBe(401);
  });

  it('grants and revokes instance administration, effective on the next request', async () => {
    const helper = await test.createPerson(root, 'helper@example.com');
    const listUsers = () => test.request({ method: 'GET', url: '/api/v1/users' }, helper);
    expect((await listUsers()).statusCode).toBe(403);
    const granted = await patch(helper.userId, { isInstanceAdmin: true });
    expect(granted.json()).toMatchObject({ isInstanceAdmin: true, disabled: false });
    expect((await listUsers()).statusCode).toBe(200);
    expect((await session(helper)).json().user.isInstanceAdmin).toBe(true);
    const revoked = await patch(helper.userId, { isInstanceAdmin: false });
    expect(revoked.json().isInstanceAdmin).toBe(false);
    expect((await listUsers()).statusCode).toBe(403);
  });

  it('records each change instance-wide with who made it and the state before and after', async () => {
    const person = await test.createPerson(root, 'audited@example.com');
    expect((await patch(person.userId, { disabled: true, isInstanceAdmin: true })).statusCode).toBe(200);
    expect((await patch(person.userId, { disabled: false })).statusCode).toBe(200);
    // Nothing changes, nothing is recorded.
    expect((await patch(person.userId, { disabled: false })).statusCode).toBe(200);

    const records = (await auditOf(person.userId)).reverse();
    expect(records.map((record) => record.action)).toEqual([
      'user.created',
      'user.disabled',
      'user.instance_admin_granted',
      'user.enabled',
    ]);
    const identity = { id: person.userId, email: 'audited@example.com', name: 'audited' };
    expect(records.slice(1).map(({ before, after }) => ({ before, after }))).toEqual([
      {
        before: { ...identity, disabled: false, isInstanceAdmin: false },
        after: { ...identity, disabled: true, isInstanceAdmin: false },
      },
      {
        before: { ...identity, disabled: true, isInstanceAdmin: false },
        after: { ...identity, disabled: true, isInstanceAdmin: true },
      },
      {
        before: { ...identity, disabled: true, isInstanceAdmin: true },
        after: { ...identity, disabled: false, isInstanceAdmin: true },
      },
    ]);
    for (const record of records.slice(1)) {
      expect(record.projectId).toBeNull();
      expect(record.actor).toEqual({ type: 'user', id: root.userId });
      expect(record.requestId).toEqual(expect.any(String));
    }
  });

  it('keeps a disabled person named in the user list and in audit history', async () => {
    const person = await test.createPerson(root, 'historic@example.com');
    await patch(person.userId, { disabled: true });
    expect(await listed('historic@example.com')).toMatchObject({ name: 'historic', disabled: true });
    expect((await auditOf(person.userId)).length).toBeGreaterThan(0);
  });

  it('never lets an administrator disable or demote themselves', async () => {
    for (const change of [{ disabled: true }, { isInstanceAdmin: false }]) {
      const refused = await patch(root.userId, change);
      expect(refused.statusCode).toBe(409);
      expect(refused.json().error.code).toBe('own_access');
    }
    expect((await session(root)).json().user.isInstanceAdmin).toBe(true);
  });

  it('keeps the last enabled instance administrator when two demote each other at once', async () => {
    const first = await test.createPerson(root, 'first-admin@example.com');
    const second = await test.createPerson(root, 'second-admin@example.com');
    for (const person of [first, second]) await patch(person.userId, { isInstanceAdmin: true });
    // Everyone else steps aside (disabled by `first`), so these two are the only enabled administrators.
    const others = (await test.request({ method: 'GET', url: '/api/v1/users?limit=100' }, first))
      .json()
      .items.filter(
        (user: { id: string; isInstanceAdmin: boolean; disabled: boolean }) =>
          user.isInstanceAdmin && !user.disabled && user.id !== first.userId && user.id !== second.userId,
      )
      .map((user: { id: string }) => user.id);
    expect(others).toContain(root.userId);
    for (const id of others) expect((await patch(id, { disabled: true }, first)).statusCode).toBe(200);

    const answers = await Promise.all([
      patch(second.userId, { isInstanceAdmin: false }, first),
      patch(first.userId, { disabled: true }, second),
    ]);
    const statuses = answers.map((answer) => answer.statusCode);
    // Whichever commits first wins; the other finds its target is now the last one (409), or was
    // itself demoted before its request was authorised (403).
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    const loser = answers.find((answer) => answer.statusCode !== 200);
    expect([403, 409]).toContain(loser?.statusCode);
    if (loser?.statusCode === 409) expect(loser.json().error.code).toBe('last_instance_admin');
    const [winner, loserPerson] = statuses[0] === 200 ? [first, second] : [second, first];
    const admins = (await test.request({ method: 'GET', url: '/api/v1/users?limit=100' }, winner))
      .json()
      .items.filter(
        (user: { isInstanceAdmin: boolean; disabled: boolean }) => user.isInstanceAdmin && !user.disabled,
      )
      .map((user: { id: string }) => user.id);
    expect(admins).toEqual([winner.userId]);

    // The one left cannot be demoted through a principal read before the change (a request in
    // flight): the guard reads the administrators again, under lock.
    await expect(
      test.services.auth.updateAccess({ userId: loserPerson.userId, requestId: null }, winner.userId, {
        isInstanceAdmin: false,
      }),
    ).rejects.toMatchObject({ code: 'last_instance_admin', statusCode: 409 });
    expect((await patch(root.userId, { disabled: false }, winner)).statusCode).toBe(200);
    // Disabling ended root's sessions; the cases below sign in again.
    root = await test.signIn('root@example.com');
  });

  it('answers 404 for an unknown account and 400 for an empty or unknown change', async () => {
    const missing = await patch('0190a0a0-0000-7000-8000-000000000000', { disabled: true });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('not_found');
    const empty = await patch(root.userId, {});
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.code).toBe('validation_failed');
    const extra = await patch(root.userId, { disabled: false, role: 'owner' });
    expect(extra.statusCode).toBe(400);
    const wrongType = await patch(root.userId, { disabled: 'yes' });
    expect(wrongType.statusCode).toBe(400);
    expect(wrongType.json().error.details.issues[0].path).toBe('/body/disabled');
  });

  it('is for instance administrators only', async () => {
    const member = await test.createPerson(root, 'member@example.com');
    const forbidden = await patch(root.userId, { disabled: true }, member);
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json().error.code).toBe('forbidden');
    const selfPromotion = await patch(member.userId, { isInstanceAdmin: true }, member);
    expect(selfPromotion.statusCode).toBe(403);
    const anonymous = await test.request({
      method: 'PATCH',
      url: `/api/v1/users/${member.userId}`,
      payload: { disabled: true },
    });
    expect(anonymous.statusCode).toBe(401);
    expect((await session(root)).statusCode).toBe(200);
  });
});
