import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Credentials, createTestApp, type TestApp } from '../../test-support/test-app.js';

// Patterns that freeze a backtracking engine (RegExp) on these inputs for longer than the age of
// the universe; Cleave's linear-time engine answers at once, so these requests simply return.
describe('regex conditions over HTTP: saved through the API, evaluated over OFREP with a public sdk key', () => {
  let test: TestApp;
  let owner: Credentials;
  let browser: Credentials;
  const project = '/api/v1/projects/shop';

  const flagWithPattern = (key: string, pattern: string) => ({
    key,
    type: 'boolean',
    variants: [
      { key: 'on', value: true },
      { key: 'off', value: false },
    ],
    defaultVariant: 'off',
    offVariant: 'off',
    environments: {
      production: {
        enabled: true,
        rules: [
          {
            id: 'pattern',
            type: 'force',
            variant: 'on',
            conditions: [{ attribute: 'handle', operator: 'matches', value: pattern }],
          },
        ],
      },
    },
  });

  const evaluate = async (flag: string, handle: string) => {
    const response = await test.request(
      {
        method: 'POST',
        url: `/ofrep/v1/evaluate/flags/${flag}`,
        payload: { context: { targetingKey: 'u', handle } },
      },
      browser,
    );
    expect(response.statusCode).toBe(200);
    return response.json() as { value: boolean; reason: string };
  };

  beforeAll(async () => {
    test = await createTestApp('sqlite');
    owner = await test.signUpOwner();
    await test.createProject(owner, 'shop');
    browser = await test.environmentKey(owner, { project: 'shop', kind: 'sdk', environment: 'production' });
    for (const [key, pattern] of [
      ['nested', '^(a+)+$'],
      ['overlapping', '^(a|aa)+$'],
      ['email', '^([a-zA-Z0-9])(([\\-.]|[_]+)?([a-zA-Z0-9]+))*(@){1}[a-z0-9]+[.]{1}[a-z]{2,3}$'],
    ] as const) {
      const created = await test.request(
        { method: 'POST', url: `${project}/flags`, payload: flagWithPattern(key, pattern) },
        owner,
      );
      expect(created.statusCode, created.body).toBe(201);
    }
  });
  afterAll(async () => {
    await test?.close();
  });

  it('answers catastrophic patterns on adversarial attributes up to the checked length', async () => {
    const hostile = `${'a'.repeat(9_999)}!`;
    expect(await evaluate('nested', hostile)).toMatchObject({ value: false, reason: 'DEFAULT' });
    expect(await evaluate('overlapping', hostile)).toMatchObject({ value: false, reason: 'DEFAULT' });
    expect(await evaluate('email', hostile)).toMatchObject({ value: false, reason: 'DEFAULT' });
    expect(await evaluate('nested', 'a'.repeat(10_000))).toMatchObject({
      value: true,
      reason: 'TARGETING_MATCH',
    });
    expect(await evaluate('email', 'qa.team_x@cleave.dev')).toMatchObject({ value: true });
  });

  it('answers on a huge attribute, which is longer than matches examines and so does not match', async () => {
    expect(await evaluate('nested', 'a'.repeat(500_000))).toMatchObject({ value: false, reason: 'DEFAULT' });
  });

  it('refuses, with a 400 that says why, a pattern the engine does not support', async () => {
    const response = await test.request(
      { method: 'POST', url: `${project}/flags`, payload: flagWithPattern('backreference', '^(a)\\1$') },
      owner,
    );
    expect(response.statusCode).toBe(400);
    const issue = response.json().error.details.issues[0];
    expect(issue.path).toBe('/body/environments/production/rules/0/conditions/0/value');
    expect(issue.message).toMatch(/backreference/);
  });
});
