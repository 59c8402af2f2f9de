import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../test-support/databases.js';
import { createTestApp, type TestApp } from '../test-support/test-app.js';
import { bootstrap } from './bootstrap.js';

const init = {
  admin: { email: 'ops@example.com', password: 'bootstrap password' },
  adminToken: `clv_admin_${'A'.repeat(40)}`,
  sdkKey: `clv_sdk_${'B'.repeat(40)}`,
};

describe.each(DIALECTS)('first-start provisioning from CLEAVE_INIT_* (%s)', (dialect) => {
  let test: TestApp;
  beforeAll(async () => {
    test = await createTestApp(dialect);
  });
  afterAll(async () => {
    await test?.close();
  });

  it('creates the owner, the default project, an admin key and a production sdk key', async () => {
    const report = await bootstrap(test.services, init);
    expect(report).toEqual({
      createdOwner: true,
      createdProject: true,
      createdAdminKey: true,
      createdSdkKey: true,
    });

    const owner = await test.signIn('ops@example.com', 'bootstrap password');
    const project = await test.request({ method: 'GET', url: '/api/v1/projects/default' }, owner);
    expect(project.statusCode).toBe(200);
    const viaToken = await test.request(
      { method: 'GET', url: '/api/v1/projects/default/flags' },
      test.bearer(init.adminToken),
    );
    expect(viaToken.statusCode).toBe(200);
    const keys = (
      await test.request({ method: 'GET', url: '/api/v1/projects/default/api-keys' }, owner)
    ).json().items;
    const production = project
      .json()
      .environments.find((environment: { key: string }) => environment.key === 'production');
    expect(keys).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'admin', environmentId: null }),
        expect.objectContaining({
          kind: 'sdk',
          environmentId: production.id,
          prefix: init.sdkKey.slice(0, 16),
        }),
      ]),
    );
  });

  it('changes nothing when started again with the same variables', async () => {
    const report = await bootstrap(test.services, init);
    expect(report).toEqual({
      createdOwner: false,
      createdProject: false,
      createdAdminKey: false,
      createdSdkKey: false,
    });
    const project = await test.services.projects.findProjectByKey('default');
    if (!project) throw new Error('the default project is missing');
    const keys = await test.services.apiKeys.list(project);
    expect(keys).toHaveLength(2);
  });

  it('does nothing when no variable is set', async () => {
    expect(
      await bootstrap(test.services, { admin: undefined, adminToken: undefined, sdkKey: undefined }),
    ).toEqual({
      createdOwner: false,
      createdProject: false,
      createdAdminKey: false,
      createdSdkKey: false,
    });
  });
});
