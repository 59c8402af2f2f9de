import type { ServerProcess } from '@cleave/server/tooling';
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

const OWNER = { name: 'Dana Demo', email: 'dana@example.com', password: 'correct horse battery' };
const SETUP_CODE = 'demo-browser-setup-code';

describe('the demo project in a browser', () => {
  let session: BrowserSession | undefined;
  let server: ServerProcess;
  let page: Page;

  beforeAll(async () => {
    session = await startBrowserSession('demo-ui', { CLEAVE_SETUP_CODE: SETUP_CODE, CLEAVE_DEMO: 'on' });
    ({ server, page } = session);
  }, 120_000);

  afterEach(screenshotOnFailure(() => page, 'failed-demo'));

  afterAll(() => session?.stop());

  it('shows the first owner the demo, with results on first open', async () => {
    await signUpOwner(page, server.url, SETUP_CODE, OWNER);
    await page.getByText('This is a demo project').waitFor();
    expect(new URL(page.url()).pathname).toBe('/projects/demo/flags');
    await page.getByRole('link', { name: 'Checkout flow' }).waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, '10-demo-flags');

    await page.getByRole('link', { name: 'Experiments' }).click();
    await page.getByRole('link', { name: 'One-page checkout' }).click();
    const conversion = page.getByRole('region', { name: 'Metric checkout-conversion' });
    await conversion.waitFor();
    expect(await conversion.getByRole('row', { name: /^one-page/ }).textContent()).toContain('Win');
    for (const metric of ['revenue-per-visitor', 'page-errors'])
      await page.getByRole('region', { name: `Metric ${metric}` }).waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, '11-demo-results');

    await page.getByRole('link', { name: 'Experiments' }).click();
    await page.getByRole('link', { name: 'Homepage hero (A/A test)' }).click();
    const aa = page.getByRole('region', { name: 'Metric checkout-conversion' });
    await aa.waitFor();
    expect(await aa.getByRole('row', { name: /^b/ }).textContent()).toContain('Inconclusive');
  }, 60_000);

  it('shows new results and changes made elsewhere without a reload', async () => {
    await page.getByRole('link', { name: 'Experiments' }).click();
    await page.getByRole('link', { name: 'One-page checkout' }).click();
    const computed = page.getByText(/computed /);
    await computed.waitFor();
    const before = await computed.textContent();
    // A second later, so the new snapshot's time reads differently.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await apiFromPage(page, 'POST', '/api/v1/projects/demo/experiments/one-page-checkout/analysis', {
      environment: 'production',
    });
    await expect.poll(() => computed.textContent(), { timeout: 10_000 }).not.toBe(before);

    await page.getByRole('link', { name: 'Flags' }).click();
    const darkMode = page.getByRole('switch', { name: 'dark-mode in Production' });
    await darkMode.waitFor();
    expect(await darkMode.isChecked()).toBe(false);
    const flag = (await apiFromPage(page, 'GET', '/api/v1/projects/demo/flags/dark-mode')) as {
      version: number;
    };
    await apiFromPage(page, 'POST', '/api/v1/projects/demo/flags/dark-mode/environments/production/toggle', {
      enabled: true,
      version: flag.version,
    });
    await expect.poll(() => darkMode.isChecked(), { timeout: 10_000 }).toBe(true);
  }, 40_000);

  it('removes the demo in one action', async () => {
    await page.getByRole('button', { name: 'Remove demo project' }).click();
    const dialog = page.getByRole('dialog', { name: 'Remove the demo project?' });
    await dialog.getByRole('button', { name: 'Remove demo project' }).click();
    await page.getByRole('heading', { name: 'No projects yet' }).waitFor();
    const projects = (await apiFromPage(page, 'GET', '/api/v1/projects')) as { items: unknown[] };
    expect(projects.items).toEqual([]);
  }, 30_000);
});
