import path from 'node:path';
import { createClient } from '@cleave/sdk';
import type { ServerProcess } from '@cleave/server/tooling';
import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, seriousAccessibilityViolations } from './browser.js';
import {
  apiFromPage,
  type BrowserSession,
  screenshotOnFailure,
  signUpOwner,
  startBrowserSession,
} from './session-setup.js';

const OWNER = { name: 'Erin Experimenter', email: 'erin@example.com', password: 'correct horse battery' };
const SETUP_CODE = 'experiment-flow-setup-code';
/** Provisions the `default` project's production key; the UI reports its usage with the same key. */
const SDK_KEY = `clv_sdk_${'E'.repeat(40)}`;

describe('an experiment from creation to decision, in a browser', () => {
  let session: BrowserSession | undefined;
  let dataDir: string;
  let server: ServerProcess;
  let page: Page;
  let ownerId: string;

  beforeAll(async () => {
    session = await startBrowserSession('experiment-flow', {
      CLEAVE_SETUP_CODE: SETUP_CODE,
      CLEAVE_INIT_SDK_KEY: SDK_KEY,
      CLEAVE_UI_ANALYTICS_KEY: SDK_KEY,
    });
    ({ dataDir, server, page } = session);
  }, 120_000);

  afterEach(screenshotOnFailure(() => page, 'failed-flow'));

  afterAll(() => session?.stop());

  it('creates and starts an experiment in the UI', async () => {
    await signUpOwner(page, server.url, SETUP_CODE, OWNER);
    // The provisioned project is the instance's first: the owner lands on it.
    await page.getByRole('heading', { name: 'Flags' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/projects/default/flags');
    ownerId = ((await apiFromPage(page, 'GET', '/api/v1/auth/session')) as { user: { id: string } }).user.id;

    await apiFromPage(page, 'POST', '/api/v1/projects/default/metrics', {
      key: 'purchase',
      type: 'proportion',
      numerator: { event: 'purchase' },
    });
    await page.getByRole('link', { name: 'Experiments' }).click();
    await page.getByRole('link', { name: 'New experiment' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Big buy button');
    await page.getByLabel('Hypothesis').fill('A bigger button sells more.');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Variation 1 key').fill('off');
    await page.getByLabel('Variation 2 key').fill('on');
    await page.getByRole('button', { name: 'Metrics' }).click();
    await page.getByRole('combobox', { name: 'Primary (decides the experiment)' }).click();
    await page.getByRole('option', { name: 'purchase' }).click();
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Review' }).click();
    await page.getByRole('button', { name: 'Create experiment' }).click();
    await page.getByText('A bigger button sells more.').waitFor();

    // The flag the experiment decides, made through the API: this test is about the experiment.
    await apiFromPage(page, 'POST', '/api/v1/projects/default/flags', {
      key: 'big-buy-button',
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
          rules: [{ id: 'test', type: 'experiment', experimentKey: 'big-buy-button' }],
        },
      },
    });
    await page.getByRole('button', { name: 'Start' }).click();
    await page.getByRole('button', { name: 'Conclude…' }).waitFor();
    await page.getByText('No analysis yet in Production. Run one to see results.').waitFor();
  }, 60_000);

  it('receives exposures and events through the SDK', async () => {
    const sdk = createClient({ sdkKey: SDK_KEY, apiHost: server.url, streaming: false });
    try {
      expect(await sdk.ready()).toBe('ready');
      let exposed = 0;
      for (let index = 0; index < 600; index++) {
        const context = { targetingKey: `shopper-${index}` };
        const big = sdk.getBooleanValue('big-buy-button', false, context);
        exposed += 1;
        // A clear lift, so the verdict is a win: 30 % of the big button's units buy, 10 % of the others.
        if ((index * 7919) % 100 < (big ? 30 : 10)) sdk.track('purchase', { value: 20, context });
      }
      expect(exposed).toBe(600);
    } finally {
      // Sends what it holds before it resolves.
      await sdk.close();
    }
  }, 30_000);

  it('runs the analysis from the page, follows its job, and shows the results', async () => {
    const isJobPoll = (url: string) => /\/api\/v1\/projects\/default\/jobs\//.test(url);
    // Waited on, not collected by a listener: a listener's body can still be parsing when the
    // results render, which once made this test judge the job before its last poll was read.
    const lastPoll = page.waitForResponse(
      async (response) =>
        isJobPoll(response.url()) &&
        response.ok() &&
        ['succeeded', 'failed'].includes(((await response.json()) as { status: string }).status),
      { timeout: 25_000 },
    );
    await page.getByRole('button', { name: 'Run analysis now' }).click();
    // The page polled the job it started until it ended, and then showed its snapshot.
    expect(await (await lastPoll).json()).toMatchObject({ status: 'succeeded', progress: 1 });
    const metric = page.getByRole('region', { name: 'Metric purchase' });
    await metric.waitFor();
    const row = metric.getByRole('row', { name: /^on/ });
    expect(await row.textContent()).toContain('Win');
    expect(await metric.getByRole('row', { name: /off/ }).textContent()).toMatch(/\d/);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, '08-experiment-results');
  }, 30_000);

  it('concludes the experiment and rolls out the winner', async () => {
    await page.getByRole('button', { name: 'Conclude…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Conclude the experiment' });
    await dialog.waitFor();
    expect(await dialog.getByLabel('Decision').inputValue()).toBe('Ship a variation');
    expect(await dialog.getByLabel('Winning variation').inputValue()).toBe('on');
    await dialog.getByLabel('Reason').fill('Thirty against ten per cent.');
    expect(
      await dialog
        .getByRole('checkbox', { name: 'Serve the winner through the flags running it' })
        .isChecked(),
    ).toBe(true);
    await screenshot(page, '09-conclude');
    await dialog.getByRole('button', { name: 'Conclude', exact: true }).click();
    await page.getByText('decided: ship on').waitFor();
    expect(await page.getByRole('button', { name: 'Conclude…' }).count()).toBe(0);

    const flag = (await apiFromPage(page, 'GET', '/api/v1/projects/default/flags/big-buy-button')) as {
      environments: { production: { rules?: { type: string; variant?: string }[] } };
    };
    // Rolled out: production now serves `on` to everyone the experiment covered.
    expect(flag.environments.production.rules).toEqual([
      expect.objectContaining({ type: 'force', variant: 'on' }),
    ]);
  }, 30_000);

  it("reports the session's page views and key actions to the configured project", async () => {
    const database = new Database(path.join(dataDir, 'cleave.db'), { readonly: true });
    try {
      const tracked = () =>
        (
          database
            .prepare(`select event_name as name, properties from events where type = 'track' and unit_id = ?`)
            .all(ownerId) as { name: string; properties: string | null }[]
        ).map((row) => ({ name: row.name, ...(row.properties ? JSON.parse(row.properties) : {}) }));
      // The SDK sends every two seconds.
      await expect
        .poll(() => tracked().map((event) => event.name), { timeout: 15_000 })
        .toEqual(expect.arrayContaining(['page-view', 'experiment-started', 'experiment-concluded']));
      expect(tracked()).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            name: 'page-view',
            path: '/projects/default/experiments/big-buy-button',
          }),
          expect.objectContaining({ name: 'experiment-started', experiment: 'big-buy-button' }),
        ]),
      );
    } finally {
      database.close();
    }
  }, 30_000);
});
