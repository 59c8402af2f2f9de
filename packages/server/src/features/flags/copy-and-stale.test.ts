import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test-support/databases.js';
import { type Credentials, createTestApp, type TestApp } from '../../test-support/test-app.js';

const flag = (key: string) => ({
  key,
  type: 'boolean',
  variants: [
    { key: 'on', value: true },
    { key: 'off', value: false },
  ],
  defaultVariant: 'off',
  offVariant: 'off',
});

const DAY_MS = 86_400_000;

describe.each(DIALECTS)('copying a flag between environments and listing stale flags (%s)', (dialect) => {
  let test: TestApp;
  let owner: Credentials;
  const flags = '/api/v1/projects/shop/flags';
  const stale = (query = '') =>
    test.request(
      { method: 'GET', url: `/api/v1/projects/shop/environments/production/stale-flags${query}` },
      owner,
    );

  /** Makes a flag look created, and last changed, `days` ago (the app's clock is real time). */
  async function age(key: string, days: number): Promise<void> {
    const then = new Date(Date.now() - days * DAY_MS).toISOString();
    const { db } = test.database.database;
    await db.updateTable('flags').set({ created_at: then }).where('key', '=', key).execute();
    await db
      .updateTable('config_changes')
      .set({ created_at: then })
      .where('resource_key', '=', key)
      .execute();
  }

  beforeAll(async () => {
    test = await createTestApp(dialect);
    owner = await test.signUpOwner();
    await test.createProject(owner);
  });
  afterAll(async () => {
    await test?.close();
  });

  it("copies one environment's whole configuration to another, as one versioned change", async () => {
    await test.request({ method: 'POST', url: flags, payload: flag('copied') }, owner);
    const staging = {
      enabled: true,
      overrides: [{ values: ['qa-1'], variant: 'on' }],
      rules: [{ id: 'half', type: 'rollout', variant: 'on', fraction: 0.5 }],
      version: 1,
    };
    const put = await test.request(
      { method: 'PUT', url: `${flags}/copied/environments/staging`, payload: staging },
      owner,
    );
    expect(put.statusCode).toBe(200);
    const copy = await test.request(
      {
        method: 'POST',
        url: `${flags}/copied/environments/production/copy`,
        payload: { from: 'staging', version: 2 },
      },
      owner,
    );
    expect(copy.statusCode).toBe(200);
    const { version, ...state } = staging;
    expect(copy.json()).toMatchObject({ version: 3 });
    expect(copy.json().environments.production).toEqual(state);
    expect(copy.json().environments.development).toEqual({ enabled: false });

    const outdated = await test.request(
      {
        method: 'POST',
        url: `${flags}/copied/environments/development/copy`,
        payload: { from: 'staging', version: 2 },
      },
      owner,
    );
    expect(outdated.statusCode).toBe(409);
  });

  it('refuses to copy from an unknown environment or onto itself, naming the field', async () => {
    for (const from of ['mars', 'production']) {
      const response = await test.request(
        {
          method: 'POST',
          url: `${flags}/copied/environments/production/copy`,
          payload: { from, version: 3 },
        },
        owner,
      );
      expect(response.statusCode).toBe(400);
      expect(response.json().error.details.issues[0].path).toBe('/body/from');
    }
  });

  it('lists flags unchanged while serving one variant, and flags not evaluated, for the days asked', async () => {
    for (const key of ['retired', 'in-use', 'young']) {
      await test.request({ method: 'POST', url: flags, payload: flag(key) }, owner);
    }
    // `retired` serves `on` to every unit; `in-use` splits units and is evaluated.
    const versions = { retired: 1, 'in-use': 1 };
    for (const [key, rules] of [
      ['retired', [{ id: 'all', type: 'force', variant: 'on' }]],
      ['in-use', [{ id: 'some', type: 'rollout', variant: 'on', fraction: 0.2 }]],
    ] as const) {
      const response = await test.request(
        {
          method: 'PUT',
          url: `${flags}/${key}/environments/production`,
          payload: { enabled: true, rules, version: versions[key] },
        },
        owner,
      );
      expect(response.statusCode).toBe(200);
    }
    await age('retired', 40);
    await age('in-use', 40);
    await age('copied', 40);

    const server = await test.environmentKey(owner, { kind: 'server' });
    const evaluated = await test.request(
      {
        method: 'POST',
        url: '/api/v1/evaluate',
        payload: { context: { targetingKey: 'u1' }, flags: ['in-use', 'no-such-flag'] },
      },
      server,
    );
    expect(evaluated.statusCode).toBe(200);
    await test.services.flagUsage.flush();

    const response = await stale('?days=30');
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({ environment: 'production', days: 30 });
    const byKey = Object.fromEntries(body.items.map((item: { key: string }) => [item.key, item]));
    expect(byKey.retired).toMatchObject({
      reasons: ['fully_rolled_out', 'not_evaluated'],
      servedVariant: 'on',
      lastEvaluatedAt: null,
    });
    // Copied 40 days ago and split half and half since: only never evaluated.
    expect(byKey.copied).toMatchObject({ reasons: ['not_evaluated'], servedVariant: null });
    // Evaluated just now and splitting units: in use. Created today: too young to judge.
    expect(byKey['in-use']).toBeUndefined();
    expect(byKey.young).toBeUndefined();

    // Over 50 days nothing is old enough.
    expect((await stale('?days=50')).json().items).toEqual([]);
  });

  it('counts a recent change as use: a flag changed today is not fully rolled out "for N days"', async () => {
    const toggled = await test.request(
      {
        method: 'POST',
        url: `${flags}/retired/environments/production/toggle`,
        payload: { enabled: false, version: 2 },
      },
      owner,
    );
    expect(toggled.statusCode).toBe(200);
    const retired = (await stale()).json().items.find((item: { key: string }) => item.key === 'retired');
    expect(retired).toMatchObject({ reasons: ['not_evaluated'], servedVariant: 'off' });
  });

  it('answers a bad number of days, or an unknown environment, with a 4xx', async () => {
    expect((await stale('?days=0')).statusCode).toBe(400);
    expect((await stale('?days=lots')).statusCode).toBe(400);
    const unknown = await test.request(
      { method: 'GET', url: '/api/v1/projects/shop/environments/mars/stale-flags' },
      owner,
    );
    expect(unknown.statusCode).toBe(404);
  });
});
