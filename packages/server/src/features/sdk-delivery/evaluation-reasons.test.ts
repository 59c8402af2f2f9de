import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Credentials, createTestApp, type TestApp } from '../../test-support/test-app.js';

describe('evaluation reasons over HTTP: a failed prerequisite', () => {
  let test: TestApp;
  let owner: Credentials;
  let browser: Credentials;
  const project = '/api/v1/projects/shop';

  const booleanFlag = (
    key: string,
    defaultVariant: 'on' | 'off',
    production: Record<string, unknown> = {},
  ) => ({
    key,
    type: 'boolean',
    variants: [
      { key: 'on', value: true },
      { key: 'off', value: false },
    ],
    defaultVariant,
    offVariant: 'off',
    environments: { production: { enabled: true, ...production } },
  });

  beforeAll(async () => {
    test = await createTestApp('sqlite');
    owner = await test.signUpOwner();
    await test.createProject(owner, 'shop');
    browser = await test.environmentKey(owner, { project: 'shop', kind: 'sdk', environment: 'production' });
    for (const flag of [
      booleanFlag('base', 'off'),
      booleanFlag('dependent', 'on', { prerequisites: [{ flagKey: 'base', variants: ['on'] }] }),
    ]) {
      const created = await test.request({ method: 'POST', url: `${project}/flags`, payload: flag }, owner);
      expect(created.statusCode, created.body).toBe(201);
    }
  });
  afterAll(async () => {
    await test?.close();
  });

  it('answers PREREQUISITE_FAILED over OFREP, with the failing prerequisite in the metadata', async () => {
    const response = await test.request(
      {
        method: 'POST',
        url: '/ofrep/v1/evaluate/flags/dependent',
        payload: { context: { targetingKey: 'u' } },
      },
      browser,
    );
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      key: 'dependent',
      value: false,
      variant: 'off',
      reason: 'PREREQUISITE_FAILED',
      metadata: { prerequisiteFailed: 'base' },
    });
  });

  it('answers PREREQUISITE_FAILED from /api/v1/evaluate, and STATIC for the prerequisite itself', async () => {
    const response = await test.request(
      { method: 'POST', url: '/api/v1/evaluate', payload: { context: { targetingKey: 'u' } } },
      browser,
    );
    expect(response.statusCode).toBe(200);
    const flags = response.json().flags as { key: string; reason: string }[];
    expect(Object.fromEntries(flags.map((flag) => [flag.key, flag.reason]))).toEqual({
      base: 'STATIC',
      dependent: 'PREREQUISITE_FAILED',
    });
  });
});
