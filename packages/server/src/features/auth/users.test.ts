import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test-support/databases.js';
import { type Credentials, createTestApp, TEST_PASSWORD, type TestApp } from '../../test-support/test-app.js';

interface ListedUser {
  id: string;
  email: string;
  name: string;
  isInstanceAdmin: boolean;
  disabled: boolean;
  createdAt: string;
}

describe.each(DIALECTS)("the instance's user list (%s)", (dialect) => {
  let test: TestApp;
  let root: Credentials & { userId: string };
  let member: Credentials;

  const list = (query: string, as: Credentials | undefined = root) =>
    test.request({ method: 'GET', url: `/api/v1/users${query}` }, as);
  const emailsOf = (body: { items: ListedUser[] }) => body.items.map((user) => user.email);

  beforeAll(async () => {
    test = await createTestApp(dialect);
    root = await test.signUpOwner('root@example.com');
    for (const [email, name] of [
      ['ada@example.com', 'Ada Lovelace'],
      ['grace@example.com', 'Grace Hopper'],
      ['percent@example.com', '100% Sure'],
      ['under_score@example.com', 'Under Score'],
    ]) {
      const created = await test.request(
        { method: 'POST', url: '/api/v1/users', payload: { email, name, password: TEST_PASSWORD } },
        root,
      );
      expect(created.statusCode).toBe(201);
    }
    member = await test.signIn('grace@example.com');
  });
  afterAll(async () => {
    await test?.close();
  });

  it('lists every account in email order with who they are, never how they sign in', async () => {
    const response = await list('');
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(emailsOf(body)).toEqual([
      'ada@example.com',
      'grace@example.com',
      'percent@example.com',
      'root@example.com',
      'under_score@example.com',
    ]);
    expect(body.nextCursor).toBeNull();
    const rootUser = body.items.find((user: ListedUser) => user.email === 'root@example.com');
    expect(rootUser).toEqual({
      id: root.userId,
      email: 'root@example.com',
      name: 'Owner',
      isInstanceAdmin: true,
      disabled: false,
      createdAt: expect.any(String),
    });
    for (const user of body.items) {
      expect(Object.keys(user).sort()).toEqual([
        'createdAt',
        'disabled',
        'email',
        'id',
        'isInstanceAdmin',
        'name',
      ]);
    }
  });

  it('pages with a cursor until every account has been seen once', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const body = (await list(query)).json();
      expect(body.items.length).toBeLessThanOrEqual(2);
      seen.push(...emailsOf(body));
      cursor = body.nextCursor;
      pages += 1;
    } while (cursor !== null);
    expect(pages).toBe(3);
    expect(seen).toEqual(emailsOf((await list('')).json()));
  });

  it('keeps accounts whose name or email contains `search`, ignoring case, with % and _ taken literally', async () => {
    expect(emailsOf((await list('?search=LOVELACE')).json())).toEqual(['ada@example.com']);
    expect(emailsOf((await list('?search=Grace%40')).json())).toEqual(['grace@example.com']);
    expect(emailsOf((await list('?search=%25')).json())).toEqual(['percent@example.com']);
    expect(emailsOf((await list('?search=_')).json())).toEqual(['under_score@example.com']);
    expect(emailsOf((await list('?search=nobody-by-that-name')).json())).toEqual([]);
    // A blank search is no search.
    expect(emailsOf((await list('?search=%20')).json())).toHaveLength(5);
    const filteredPage = (await list('?search=example.com&limit=4')).json();
    expect(filteredPage.items).toHaveLength(4);
    const rest = (await list(`?search=example.com&limit=4&cursor=${filteredPage.nextCursor}`)).json();
    expect(emailsOf(rest)).toEqual(['under_score@example.com']);
  });

  it('is for instance administrators only', async () => {
    const forbidden = await list('', member);
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json().error.code).toBe('forbidden');
    const anonymous = await test.request({ method: 'GET', url: '/api/v1/users' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().error.code).toBe('unauthorized');
  });

  it('rejects a foreign cursor and an out-of-range limit with 400 and the field', async () => {
    const cursor = await list('?cursor=not-a-cursor');
    expect(cursor.statusCode).toBe(400);
    expect(cursor.json().error.details.issues[0].path).toBe('/query/cursor');
    const limit = await list('?limit=0');
    expect(limit.statusCode).toBe(400);
    expect(limit.json().error.details.issues[0].path).toBe('/querystring/limit');
  });
});
