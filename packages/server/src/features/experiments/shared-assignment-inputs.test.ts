import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test-support/databases.js';
import { type Credentials, createTestApp, type TestApp } from '../../test-support/test-app.js';

/**
 * Holdouts and layers feed the assignment of every experiment in their scope. While one of those
 * experiments runs, changing them would move its units, so the API refuses, as it does for the
 * experiment's own seed and variations.
 */
describe.each(DIALECTS)('holdouts and layers of running experiments (%s)', (dialect) => {
  let test: TestApp;
  let owner: Credentials;
  const base = '/api/v1/projects/shop';
  let experimentVersion = 0;

  const post = (url: string, payload: Record<string, unknown>) =>
    test.request({ method: 'POST', url: `${base}${url}`, payload }, owner);
  const patch = (url: string, payload: Record<string, unknown>) =>
    test.request({ method: 'PATCH', url: `${base}${url}`, payload }, owner);
  const get = async (url: string) =>
    (await test.request({ method: 'GET', url: `${base}${url}` }, owner)).json();
  /** PATCH with the resource's current version. */
  const edit = async (url: string, fields: Record<string, unknown>) =>
    patch(url, { ...fields, version: (await get(url)).version });

  beforeAll(async () => {
    test = await createTestApp(dialect);
    owner = await test.signUpOwner();
    await test.createProject(owner, 'shop');
    const setup = [
      await post('/metrics', { key: 'purchase', type: 'proportion', numerator: { event: 'purchase' } }),
      await post('/layers', { key: 'checkout' }),
      await post('/layers', { key: 'search' }),
      await post('/holdouts', { key: 'global', fraction: 0.1 }),
      await post('/holdouts', { key: 'checkout-only', fraction: 0.05, layerKey: 'checkout' }),
      await post('/holdouts', { key: 'search-only', fraction: 0.05, layerKey: 'search' }),
      await post('/flags', {
        key: 'checkout-cta',
        type: 'string',
        variants: [
          { key: 'control', value: 'Buy' },
          { key: 'treatment', value: 'Buy now' },
        ],
        defaultVariant: 'control',
        offVariant: 'control',
      }),
      await post('/experiments', {
        key: 'cta',
        layer: { key: 'checkout', range: { start: 0, end: 0.5 } },
        variations: [
          { key: 'control', weight: 0.5 },
          { key: 'treatment', weight: 0.5 },
        ],
        metrics: { primary: ['purchase'] },
      }),
      await post('/flags/checkout-cta/environments/production/rules', {
        rule: { id: 'cta-test', type: 'experiment', experimentKey: 'cta' },
        version: 1,
      }),
    ];
    for (const response of setup) expect(response.statusCode, response.body).toBeLessThan(300);
    const started = await post('/experiments/cta/start', { version: 1 });
    expect(started.statusCode, started.body).toBe(200);
    experimentVersion = started.json().version;
  });
  afterAll(async () => {
    await test?.close();
  });

  function expectRefused(response: Awaited<ReturnType<typeof patch>>, fields: string[]) {
    expect(response.statusCode, response.body).toBe(409);
    expect(response.json().error).toMatchObject({
      code: 'experiment_running',
      details: { experiments: ['cta'], fields },
    });
    expect(response.json().error.message).toContain('Stop it first');
  }

  it('refuses to change the fraction or seed of a project-wide holdout, and keeps it as it was', async () => {
    expectRefused(await edit('/holdouts/global', { fraction: 0.5 }), ['fraction']);
    expectRefused(await edit('/holdouts/global', { seed: 'reshuffled' }), ['seed']);
    expect(await get('/holdouts/global')).toMatchObject({ fraction: 0.1, version: 1 });
    // Setting the seed to what it already is in effect (the key) moves nobody.
    expect((await edit('/holdouts/global', { seed: 'global' })).statusCode).toBe(200);
  });

  it('refuses to move a holdout into or out of the layer of a running experiment', async () => {
    expectRefused(await edit('/holdouts/checkout-only', { layerKey: 'search' }), ['layerKey']);
    expectRefused(await edit('/holdouts/search-only', { layerKey: 'checkout' }), ['layerKey']);
    expectRefused(await edit('/holdouts/checkout-only', { fraction: 0.2 }), ['fraction']);
  });

  it('lets holdouts change where nothing runs, and names and descriptions everywhere', async () => {
    const search = await edit('/holdouts/search-only', { fraction: 0.5, seed: 'new-seed' });
    expect(search.statusCode).toBe(200);
    expect(search.json()).toMatchObject({ fraction: 0.5, seed: 'new-seed' });
    const renamed = await edit('/holdouts/global', { name: 'Global holdout', description: 'Long-term' });
    expect(renamed.statusCode).toBe(200);
  });

  it('refuses a new holdout covering a running experiment, not one elsewhere', async () => {
    const projectWide = await post('/holdouts', { key: 'second-global', fraction: 0.2 });
    expectRefused(projectWide, ['holdout']);
    expectRefused(await post('/holdouts', { key: 'more-checkout', fraction: 0.2, layerKey: 'checkout' }), [
      'holdout',
    ]);
    expect(
      (await test.request({ method: 'GET', url: `${base}/holdouts/second-global` }, owner)).statusCode,
    ).toBe(404);
    expect(
      (await post('/holdouts', { key: 'more-search', fraction: 0.2, layerKey: 'search' })).statusCode,
    ).toBe(201);
  });

  it('refuses to archive or restore a holdout covering a running experiment', async () => {
    const global = await get('/holdouts/global');
    expectRefused(await post('/holdouts/global/archive', { version: global.version }), ['status']);
    const search = await get('/holdouts/search-only');
    const archived = await post('/holdouts/search-only/archive', { version: search.version });
    expect(archived.statusCode).toBe(200);
    const restored = await post('/holdouts/search-only/restore', { version: archived.json().version });
    expect(restored.statusCode).toBe(200);
  });

  it('refuses to change the seed of a running experiment’s layer, not its name or another layer', async () => {
    expectRefused(await edit('/layers/checkout', { seed: 'reshuffled' }), ['seed']);
    expect((await get('/layers/checkout')).seed).toBeUndefined();
    expect((await edit('/layers/checkout', { name: 'Checkout page' })).statusCode).toBe(200);
    expect((await edit('/layers/search', { seed: 'reshuffled' })).statusCode).toBe(200);
  });

  it('takes all those changes once the experiment has stopped', async () => {
    const stopped = await post('/experiments/cta/stop', {
      outcome: 'inconclusive',
      version: experimentVersion,
    });
    expect(stopped.statusCode).toBe(200);
    expect((await edit('/holdouts/global', { fraction: 0.5 })).statusCode).toBe(200);
    expect((await edit('/layers/checkout', { seed: 'reshuffled' })).statusCode).toBe(200);
    expect((await post('/holdouts', { key: 'second-global', fraction: 0.2 })).statusCode).toBe(201);
  });
});
