import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test-support/databases.js';
import { type Credentials, createTestApp, type TestApp } from '../../test-support/test-app.js';

/**
 * Writes are checked only against what they can affect, found through the references index. These
 * are the cases that must still be caught, in both directions: what the change references, and
 * what references the change.
 */
describe.each(DIALECTS)('reference checks of definition writes (%s)', (dialect) => {
  let test: TestApp;
  let owner: Credentials;
  const base = '/api/v1/projects/shop';

  const send = (method: 'POST' | 'PATCH', url: string, payload: Record<string, unknown>) =>
    test.request({ method, url: `${base}${url}`, payload }, owner);
  const versionOf = async (url: string) =>
    (await test.request({ method: 'GET', url: `${base}${url}` }, owner)).json().version as number;
  const patch = async (url: string, fields: Record<string, unknown>) =>
    send('PATCH', url, { ...fields, version: await versionOf(url) });
  const archive = async (url: string) => send('POST', `${url}/archive`, { version: await versionOf(url) });
  /** Replaces a flag's production state. */
  const setProduction = async (flagKey: string, state: Record<string, unknown>) =>
    test.request(
      {
        method: 'PUT',
        url: `${base}/flags/${flagKey}/environments/production`,
        payload: { ...state, version: await versionOf(`/flags/${flagKey}`) },
      },
      owner,
    );

  function flag(
    key: string,
    production: Record<string, unknown> = { enabled: true },
    variants = ['on', 'off'],
  ) {
    return {
      key,
      type: 'string',
      variants: variants.map((variant) => ({ key: variant, value: variant })),
      defaultVariant: variants[1] ?? variants[0],
      offVariant: variants[1] ?? variants[0],
      environments: { production },
    };
  }
  const prerequisite = (flagKey: string, variants = ['on']) => ({
    enabled: true,
    prerequisites: [{ flagKey, variants }],
  });
  const segmentRule = (segment: string) => ({
    enabled: true,
    rules: [{ id: 'r', type: 'force', variant: 'on', conditions: [{ segment }] }],
  });

  function expectIssue(
    response: Awaited<ReturnType<typeof send>>,
    status: number,
    path: string,
    message: RegExp,
  ) {
    expect(response.statusCode, response.body).toBe(status);
    expect(response.json().error.details.issues).toEqual(
      expect.arrayContaining([expect.objectContaining({ path, message: expect.stringMatching(message) })]),
    );
  }

  beforeAll(async () => {
    test = await createTestApp(dialect);
    owner = await test.signUpOwner();
    await test.createProject(owner, 'shop');
  });
  afterAll(async () => {
    await test?.close();
  });

  it('refuses references to definitions the project does not have', async () => {
    expectIssue(
      await send('POST', '/flags', flag('dangling', segmentRule('nobody'))),
      400,
      '/body/environments/production/rules/0/conditions/0/segment',
      /unknown segment "nobody"/,
    );
    expectIssue(
      await send('POST', '/flags', flag('dangling', prerequisite('missing'))),
      400,
      '/body/environments/production/prerequisites/0/flagKey',
      /unknown flag "missing"/,
    );
    expectIssue(
      await send('POST', '/segments', { key: 'nested', conditions: [{ segment: 'nobody' }] }),
      400,
      '/body/conditions/0/segment',
      /unknown segment/,
    );
    expectIssue(
      await send('POST', '/holdouts', { key: 'h', fraction: 0.1, layerKey: 'nowhere' }),
      400,
      '/body/layerKey',
      /unknown layer/,
    );
  });

  it('refuses to archive a segment a flag or another segment uses, until nothing live does', async () => {
    expect(
      (
        await send('POST', '/segments', {
          key: 'eu',
          conditions: [{ attribute: 'country', operator: 'in', value: ['NL'] }],
        })
      ).statusCode,
    ).toBe(201);
    expect(
      (await send('POST', '/segments', { key: 'eu-pro', conditions: [{ segment: 'eu' }] })).statusCode,
    ).toBe(201);
    expect((await send('POST', '/flags', flag('eu-banner', segmentRule('eu')))).statusCode).toBe(201);

    const refused = await archive('/segments/eu');
    expect(refused.statusCode).toBe(409);
    expect(JSON.stringify(refused.json().error.details)).toContain('eu-banner');
    expect(JSON.stringify(refused.json().error.details)).toContain('eu-pro');

    // The flag drops its reference (the index follows the write), the nesting segment is archived
    // (archived definitions are out of the set): nothing live uses the segment any more.
    expect((await setProduction('eu-banner', { enabled: true })).statusCode).toBe(200);
    expect((await archive('/segments/eu-pro')).statusCode).toBe(200);
    expect((await archive('/segments/eu')).statusCode).toBe(200);
  });

  it('refuses prerequisite cycles, however long, and segment cycles', async () => {
    expect((await send('POST', '/flags', flag('a'))).statusCode).toBe(201);
    expect((await send('POST', '/flags', flag('b', prerequisite('a')))).statusCode).toBe(201);
    expect((await send('POST', '/flags', flag('c', prerequisite('b')))).statusCode).toBe(201);
    const cycle = await setProduction('a', prerequisite('c'));
    expect(cycle.statusCode, cycle.body).toBe(400);
    expect(JSON.stringify(cycle.json().error.details)).toMatch(/prerequisite cycle: .*a → .*/);

    expect(
      (
        await send('POST', '/segments', {
          key: 's1',
          conditions: [{ attribute: 'plan', operator: 'eq', value: 'pro' }],
        })
      ).statusCode,
    ).toBe(201);
    expect((await send('POST', '/segments', { key: 's2', conditions: [{ segment: 's1' }] })).statusCode).toBe(
      201,
    );
    const segmentCycle = await patch('/segments/s1', { conditions: [{ segment: 's2' }] });
    expect(segmentCycle.statusCode).toBe(400);
    expect(JSON.stringify(segmentCycle.json().error.details)).toMatch(/segment cycle/);
  });

  it('refuses to take away a variant another flag’s prerequisite names, and to archive that flag', async () => {
    expect((await send('POST', '/flags', flag('base-flag'))).statusCode).toBe(201);
    expect(
      (await send('POST', '/flags', flag('dependent', prerequisite('base-flag', ['on'])))).statusCode,
    ).toBe(201);
    const narrowed = await patch('/flags/base-flag', {
      variants: [
        { key: 'off', value: 'off' },
        { key: 'maybe', value: 'maybe' },
      ],
    });
    expectIssue(
      narrowed,
      400,
      '/flags[dependent]/environments/production/prerequisites/0/variants/0',
      /has no variant "on"/,
    );
    expect((await archive('/flags/base-flag')).statusCode).toBe(409);
    // Renaming the flag touches nothing the dependent relies on.
    expect((await patch('/flags/base-flag', { name: 'Base flag' })).statusCode).toBe(200);
  });

  it('refuses experiment changes that break the flags running them or their layer', async () => {
    expect((await send('POST', '/layers', { key: 'checkout' })).statusCode).toBe(201);
    const variations = [
      { key: 'on', weight: 0.5 },
      { key: 'off', weight: 0.5 },
    ];
    expect(
      (
        await send('POST', '/experiments', {
          key: 'first',
          variations,
          layer: { key: 'checkout', range: { start: 0, end: 0.5 } },
        })
      ).statusCode,
    ).toBe(201);
    expect(
      (
        await send('POST', '/experiments', {
          key: 'second',
          variations,
          layer: { key: 'checkout', range: { start: 0.5, end: 1 } },
        })
      ).statusCode,
    ).toBe(201);
    expect(
      (
        await send(
          'POST',
          '/flags',
          flag('runs-first', {
            enabled: true,
            rules: [{ id: 'x', type: 'experiment', experimentKey: 'first' }],
          }),
        )
      ).statusCode,
    ).toBe(201);

    expectIssue(
      await patch('/experiments/first', {
        variations: [
          { key: 'on', weight: 0.5 },
          { key: 'new', weight: 0.5 },
        ],
      }),
      400,
      '/flags[runs-first]/environments/production/rules/0/variants',
      /variation "new" of experiment "first" maps to no variant/,
    );
    expectIssue(
      await patch('/experiments/second', { layer: { key: 'checkout', range: { start: 0.4, end: 1 } } }),
      400,
      '/body/layer/range',
      /overlaps experiment "first"/,
    );
    expectIssue(
      await patch('/experiments/second', { hashAttribute: 'companyId' }),
      400,
      '/body/hashAttribute',
      /must equal "targetingKey"/,
    );
    expect((await archive('/layers/checkout')).statusCode).toBe(409);
    expect((await archive('/experiments/first')).statusCode).toBe(409);
  });
});
