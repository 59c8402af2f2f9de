import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test-support/databases.js';
import { type Credentials, createTestApp, type TestApp } from '../../test-support/test-app.js';

/** The production environment's id of a project, read through the API. */
async function productionId(test: TestApp, as: Credentials, project: string): Promise<string> {
  const response = await test.request({ method: 'GET', url: `/api/v1/projects/${project}` }, as);
  const environments = response.json().environments as { id: string; key: string }[];
  const production = environments.find((environment) => environment.key === 'production');
  if (!production) throw new Error(`project ${project} has no production environment`);
  return production.id;
}

describe.each(DIALECTS)('event identity across projects (%s)', (dialect) => {
  let test: TestApp;
  let owner: Credentials;

  beforeAll(async () => {
    test = await createTestApp(dialect);
    owner = await test.signUpOwner();
    await test.createProject(owner, 'shop');
    await test.createProject(owner, 'blog');
  });
  afterAll(async () => {
    await test?.close();
  });

  it('stores events of two projects that carry the same ids and times, each in its own project', async () => {
    const timestamp = new Date().toISOString();
    const events = Array.from({ length: 3 }, (_, index) => ({
      id: randomUUID(),
      type: 'track',
      unitId: `u-${index}`,
      event: 'purchase',
      timestamp,
    }));
    const send = (as: Credentials) =>
      test.request({ method: 'POST', url: '/api/v1/events', payload: { events } }, as);

    const shop = await send(await test.environmentKey(owner, { project: 'shop' }));
    const blog = await send(await test.environmentKey(owner, { project: 'blog' }));
    expect(shop.json()).toEqual({ accepted: 3, duplicates: 0, rejected: [] });
    expect(blog.json()).toEqual({ accepted: 3, duplicates: 0, rejected: [] });

    const shopEnvironment = await productionId(test, owner, 'shop');
    const blogEnvironment = await productionId(test, owner, 'blog');
    expect(await test.eventStore.count({ environmentId: shopEnvironment })).toBe(3);
    expect(await test.eventStore.count({ environmentId: blogEnvironment })).toBe(3);

    // Within one project the identity still holds: the same batch again is all duplicates.
    const again = await send(await test.environmentKey(owner, { project: 'blog' }));
    expect(again.json()).toEqual({ accepted: 0, duplicates: 3, rejected: [] });
    expect(await test.eventStore.count({ environmentId: blogEnvironment })).toBe(3);
  });
});
