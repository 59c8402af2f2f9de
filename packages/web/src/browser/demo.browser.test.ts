/**
 * The demo, as a new user meets it: a server started on an empty embedded store seeds the demo
 * project; the first owner lands in it and its checkout experiment shows results on first open.
 * Changes made elsewhere (here: through the API, outside the page's own queries) and new results
 * appear without a reload, through the live-update stream. The demo is then removed in one action.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type ServerProcess, startMain } from '@cleave/server/tooling';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildUi, launchChromium, screenshot, seriousAccessibilityViolations } from './browser.js';

const OWNER = { name: 'Dana Demo', email: 'dana@example.com', password: 'correct horse battery' };
const SETUP_CODE = 'demo-browser-setup-code';

/** A change made outside the page's own queries: only the live-update stream can tell the page. */
async function apiFromPage(page: Page, method: string, url: string, body?: unknown): Promise<unknown> {
  return page.evaluate(
    async ({ method, url, body }) => {
      const session = await (await fetch('/api/v1/auth/session')).json();
      const response = await fetch(url, {
        method,
        headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${text}`);
      return text ? JSON.parse(text) : null;
    },
    { method, url, body },
  );
}

describe('the demo project in a browser', () => {
  let dataDir: string;
  let server: ServerProcess;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'cleave-demo-ui-'));
    await buildUi();
    [server, browser] = await Promise.all([
      startMain({ CLEAVE_DATA_DIR: dataDir, CLEAVE_SETUP_CODE: SETUP_CODE, CLEAVE_DEMO: 'on' }),
      launchChromium(),
    ]);
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
  }, 120_000);

  afterEach(async ({ task }) => {
    if (task.result?.state === 'fail' && page)
      await screenshot(page, `failed-demo-${task.name.replaceAll(' ', '-')}`);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('shows the first owner the demo, with results on first open', async () => {
    await page.goto(server.url);
    await page.getByLabel('Setup code').fill(SETUP_CODE);
    await page.getByLabel('Your name').fill(OWNER.name);
    await page.getByLabel('Email').fill(OWNER.email);
    await page.getByRole('textbox', { name: 'Password' }).fill(OWNER.password);
    await page.getByRole('button', { name: 'Create owner account' }).click();
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
