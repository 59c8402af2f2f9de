import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test-support/databases.js';
import { type Credentials, createTestApp, type TestApp } from '../../test-support/test-app.js';

const checkoutFlag = {
  key: 'new-checkout',
  name: 'New checkout',
  tags: ['checkout'],
  type: 'boolean',
  variants: [
    { key: 'on', value: true },
    { key: 'off', value: false },
  ],
  defaultVariant: 'off',
  offVariant: 'off',
};

describe.each(DIALECTS)('flags API (%s)', (dialect) => {
  let test: TestApp;
  let owner: Credentials;
  const url = '/api/v1/projects/shop/flags';
  beforeAll(async () => {
    test = await createTestApp(dialect);
    owner = await test.signUpOwner();
    await test.request(
      { method: 'POST', url: '/api/v1/projects', payload: { key: 'shop', name: 'Shop' } },
      owner,
    );
  });
  afterAll(async () => {
    await test?.close();
  });

  it('creates a flag disabled in every environment', async () => {
    const response = await test.request({ method: 'POST', url, payload: checkoutFlag }, owner);
    expect(response.statusCode).toBe(201);
    const flag = response.json();
    expect(flag).toMatchObject({
      key: 'new-checkout',
      name: 'New checkout',
      tags: ['checkout'],
      status: 'active',
      version: 1,
    });
    expect(flag.environments).toEqual({
      development: { enabled: false },
      staging: { enabled: false },
      production: { enabled: false },
    });
  });

  it('rejects a bad flag with the path of every bad field', async () => {
    const response = await test.request(
      {
        method: 'POST',
        url,
        payload: {
          ...checkoutFlag,
          key: 'broken',
          variants: [
            { key: 'on', value: 'yes' },
            { key: 'off', value: false },
          ],
          defaultVariant: 'missing',
          environments: {
            production: { enabled: true, rules: [{ id: 'r1', type: 'force', variant: 'nope' }] },
            mars: { enabled: true },
          },
        },
      },
      owner,
    );
    expect(response.statusCode).toBe(400);
    const paths = response.json().error.details.issues.map((issue: { path: string }) => issue.path);
    expect(paths).toEqual(['/body/environments/mars']);
    const second = await test.request(
      {
        method: 'POST',
        url,
        payload: {
          ...checkoutFlag,
          key: 'broken',
          variants: [
            { key: 'on', value: 'yes' },
            { key: 'off', value: false },
          ],
          defaultVariant: 'missing',
          environments: {
            production: { enabled: true, rules: [{ id: 'r1', type: 'force', variant: 'nope' }] },
          },
        },
      },
      owner,
    );
    const secondPaths = second.json().error.details.issues.map((issue: { path: string }) => issue.path);
    expect(secondPaths).toEqual(
      expect.arrayContaining([
        '/body/variants/0/value',
        '/body/defaultVariant',
        '/body/environments/production/rules/0/variant',
      ]),
    );
  });

  it('refuses a rule that references a segment the project does not have', async () => {
    const response = await test.request(
      {
        method: 'POST',
        url: `${url}/new-checkout/environments/production/rules`,
        payload: {
          rule: { id: 'beta', type: 'force', variant: 'on', conditions: [{ segment: 'beta-testers' }] },
          version: 1,
        },
      },
      owner,
    );
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details.issues[0].path).toMatch(
      /^\/body\/environments\/production\/rules\/0\/conditions\/0/,
    );
  });

  it('adds rules, reorders them and toggles one environment, bumping only its config version', async () => {
    const segment = await test.request(
      {
        method: 'POST',
        url: '/api/v1/projects/shop/segments',
        payload: {
          key: 'beta-testers',
          conditions: [{ attribute: 'email', operator: 'ends_with', value: '@example.com' }],
        },
      },
      owner,
    );
    expect(segment.statusCode).toBe(201);
    const environmentsBefore = (
      await test.request({ method: 'GET', url: '/api/v1/projects/shop/environments' }, owner)
    ).json().items;

    let version = 1;
    for (const rule of [
      { id: 'beta', type: 'force', variant: 'on', conditions: [{ segment: 'beta-testers' }] },
      { id: 'ramp', type: 'rollout', variant: 'on', fraction: 0.1 },
    ]) {
      const added = await test.request(
        {
          method: 'POST',
          url: `${url}/new-checkout/environments/production/rules`,
          payload: { rule, version },
        },
        owner,
      );
      expect(added.statusCode).toBe(200);
      version = added.json().version;
    }
    const reordered = await test.request(
      {
        method: 'POST',
        url: `${url}/new-checkout/environments/production/rules/reorder`,
        payload: { ruleIds: ['ramp', 'beta'], version },
      },
      owner,
    );
    expect(reordered.statusCode).toBe(200);
    expect(reordered.json().environments.production.rules.map((rule: { id: string }) => rule.id)).toEqual([
      'ramp',
      'beta',
    ]);
    const badOrder = await test.request(
      {
        method: 'POST',
        url: `${url}/new-checkout/environments/production/rules/reorder`,
        payload: { ruleIds: ['ramp'], version: reordered.json().version },
      },
      owner,
    );
    expect(badOrder.statusCode).toBe(400);

    const toggled = await test.request(
      {
        method: 'POST',
        url: `${url}/new-checkout/environments/production/toggle`,
        payload: { enabled: true, version: reordered.json().version },
      },
      owner,
    );
    expect(toggled.statusCode).toBe(200);
    expect(toggled.json().environments.production.enabled).toBe(true);
    expect(toggled.json().environments.staging.enabled).toBe(false);

    const environmentsAfter = (
      await test.request({ method: 'GET', url: '/api/v1/projects/shop/environments' }, owner)
    ).json().items;
    const bump = (key: string) =>
      environmentsAfter.find((environment: { key: string }) => environment.key === key).configVersion -
      environmentsBefore.find((environment: { key: string }) => environment.key === key).configVersion;
    expect(bump('production')).toBe(4);
    expect(bump('staging')).toBe(0);
  });

  it('removes a rule with If-Match, and refuses a stale version', async () => {
    const current = (await test.request({ method: 'GET', url: `${url}/new-checkout` }, owner)).json();
    const stale = await test.request(
      {
        method: 'DELETE',
        url: `${url}/new-checkout/environments/production/rules/ramp`,
        headers: { 'if-match': '"1"' },
      },
      owner,
    );
    expect(stale.statusCode).toBe(409);
    const removed = await test.request(
      {
        method: 'DELETE',
        url: `${url}/new-checkout/environments/production/rules/ramp`,
        headers: { 'if-match': `"${current.version}"` },
      },
      owner,
    );
    expect(removed.statusCode).toBe(200);
    expect(removed.json().environments.production.rules.map((rule: { id: string }) => rule.id)).toEqual([
      'beta',
    ]);
  });

  it('patches the definition and refuses a key change', async () => {
    const current = (await test.request({ method: 'GET', url: `${url}/new-checkout` }, owner)).json();
    const renamed = await test.request(
      {
        method: 'PATCH',
        url: `${url}/new-checkout`,
        payload: { name: 'Checkout v2', version: current.version },
      },
      owner,
    );
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json()).toMatchObject({
      name: 'Checkout v2',
      environments: { production: { enabled: true } },
    });
    const rekey = await test.request(
      {
        method: 'PATCH',
        url: `${url}/new-checkout`,
        payload: { key: 'other', version: renamed.json().version },
      },
      owner,
    );
    expect(rekey.statusCode).toBe(400);
  });

  it('filters lists by tag, text and status, and archives a flag unless another depends on it', async () => {
    const dependent = await test.request(
      {
        method: 'POST',
        url,
        payload: {
          ...checkoutFlag,
          key: 'express-pay',
          name: 'Express pay',
          tags: ['payments'],
          environments: {
            production: { enabled: true, prerequisites: [{ flagKey: 'new-checkout', variants: ['on'] }] },
          },
        },
      },
      owner,
    );
    expect(dependent.statusCode).toBe(201);
    const byTag = (await test.request({ method: 'GET', url: `${url}?tag=payments` }, owner)).json();
    expect(byTag.items.map((flag: { key: string }) => flag.key)).toEqual(['express-pay']);
    const bySearch = (await test.request({ method: 'GET', url: `${url}?search=CHECKOUT` }, owner)).json();
    expect(bySearch.items.map((flag: { key: string }) => flag.key)).toEqual(['new-checkout']);

    const current = (await test.request({ method: 'GET', url: `${url}/new-checkout` }, owner)).json();
    const refused = await test.request(
      { method: 'POST', url: `${url}/new-checkout/archive`, payload: { version: current.version } },
      owner,
    );
    expect(refused.statusCode).toBe(409);
    expect(JSON.stringify(refused.json().error.details)).toContain('express-pay');

    const archived = await test.request(
      { method: 'POST', url: `${url}/express-pay/archive`, payload: { version: 1 } },
      owner,
    );
    expect(archived.statusCode).toBe(200);
    expect(archived.json().status).toBe('archived');
    const active = (await test.request({ method: 'GET', url }, owner)).json();
    expect(active.items.map((flag: { key: string }) => flag.key)).toEqual(['new-checkout']);
    const archivedList = (await test.request({ method: 'GET', url: `${url}?status=archived` }, owner)).json();
    expect(archivedList.items.map((flag: { key: string }) => flag.key)).toEqual(['express-pay']);
  });

  it('keeps viewers to reading', async () => {
    const viewer = await test.createPerson(owner, 'viewer@example.com');
    await test.request(
      {
        method: 'PUT',
        url: '/api/v1/projects/shop/members',
        payload: { email: 'viewer@example.com', role: 'viewer' },
      },
      owner,
    );
    expect((await test.request({ method: 'GET', url }, viewer)).statusCode).toBe(200);
    const write = await test.request(
      { method: 'POST', url, payload: { ...checkoutFlag, key: 'sneaky' } },
      viewer,
    );
    expect(write.statusCode).toBe(403);
  });
});
