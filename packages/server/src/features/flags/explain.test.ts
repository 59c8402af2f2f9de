import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test-support/databases.js';
import { type Credentials, createTestApp, type TestApp } from '../../test-support/test-app.js';

describe.each(DIALECTS)('testing a flag with an explanation (%s)', (dialect) => {
  let test: TestApp;
  let owner: Credentials;
  let viewer: Credentials;
  const url = '/api/v1/projects/shop/flags/new-checkout/environments/production/evaluate';

  beforeAll(async () => {
    test = await createTestApp(dialect);
    owner = await test.signUpOwner();
    await test.createProject(owner, 'shop');
    viewer = await test.createPerson(owner, 'viewer@example.com');
    await test.request(
      {
        method: 'PUT',
        url: '/api/v1/projects/shop/members',
        payload: { email: 'viewer@example.com', role: 'viewer' },
      },
      owner,
    );
    const created = await test.request(
      {
        method: 'POST',
        url: '/api/v1/projects/shop/flags',
        payload: {
          key: 'new-checkout',
          type: 'boolean',
          variants: [
            { key: 'off', value: false },
            { key: 'on', value: true },
          ],
          defaultVariant: 'off',
          offVariant: 'off',
          environments: {
            production: {
              enabled: true,
              rules: [
                {
                  id: 'dutch',
                  type: 'force',
                  variant: 'on',
                  conditions: [{ attribute: 'country', operator: 'eq', value: 'NL' }],
                },
              ],
            },
          },
        },
      },
      owner,
    );
    expect(created.statusCode).toBe(201);
  });
  afterAll(async () => {
    await test?.close();
  });

  it('says which rule decided, and why the others did not, for a project reader', async () => {
    const matched = await test.request(
      { method: 'POST', url, payload: { context: { targetingKey: 'u1', country: 'NL' } } },
      viewer,
    );
    expect(matched.statusCode).toBe(200);
    expect(matched.json()).toMatchObject({ key: 'new-checkout', value: true, variant: 'on' });
    expect(matched.json().trace).toEqual(
      expect.arrayContaining([expect.objectContaining({ ruleId: 'dutch' })]),
    );

    const missed = await test.request(
      { method: 'POST', url, payload: { context: { targetingKey: 'u1', country: 'FR' } } },
      viewer,
    );
    expect(missed.json()).toMatchObject({ value: false, variant: 'off' });
    const dutch = missed.json().trace.find((entry: { ruleId?: string }) => entry.ruleId === 'dutch');
    expect(JSON.stringify(dutch)).toContain('FR');
  });

  it('answers 404 for an environment the project does not have, 400 for a context that is not an object', async () => {
    const unknown = await test.request(
      {
        method: 'POST',
        url: url.replace('production', 'moon'),
        payload: { context: { targetingKey: 'u1' } },
      },
      owner,
    );
    expect(unknown.statusCode).toBe(404);
    const bad = await test.request({ method: 'POST', url, payload: { context: 'u1' } }, owner);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.issues[0].path).toBe('/body/context');
  });
});
