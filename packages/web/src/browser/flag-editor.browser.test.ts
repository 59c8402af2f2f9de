import type { ServerProcess } from '@cleave/server/tooling';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, seriousAccessibilityViolations } from './browser.js';
import {
  apiFromPage,
  type BrowserSession,
  screenshotOnFailure,
  signInWith,
  startBrowserSession,
} from './session-setup.js';

const SETUP_CODE = 'flag-editor-setup-code';
const OWNER = { name: 'Fiona Flags', email: 'fiona@example.com', password: 'correct horse battery' };

const ruleItems = (page: Page) =>
  page
    .getByRole('list', { name: 'Rules' })
    .getByRole('listitem')
    .evaluateAll((items) => items.map((item) => item.getAttribute('aria-label')));

describe('the flag editor in a browser', () => {
  let session: BrowserSession | undefined;
  let server: ServerProcess;
  let page: Page;

  beforeAll(async () => {
    session = await startBrowserSession('flag-editor', { CLEAVE_SETUP_CODE: SETUP_CODE });
    ({ server, page } = session);
    const signup = await fetch(`${server.url}/api/v1/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...OWNER, setupCode: SETUP_CODE }),
    });
    expect(signup.status).toBe(201);
  }, 120_000);

  afterEach(screenshotOnFailure(() => page, 'failed-flag-editor'));

  afterAll(() => session?.stop());

  it('reorders two rules by drag, shows the diff, saves, and test-this-flag follows the new order', async () => {
    await page.goto(`${server.url}/login`);
    await signInWith(page, OWNER);
    await page.getByRole('heading', { name: 'No projects yet' }).waitFor();
    await apiFromPage(page, 'POST', '/api/v1/projects', { key: 'shop', name: 'Shop' });
    await apiFromPage(page, 'POST', '/api/v1/projects/shop/flags', {
      key: 'checkout',
      name: 'Checkout',
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
          rules: [
            { id: 'everyone', type: 'force', variant: 'off' },
            {
              id: 'dutch',
              type: 'force',
              variant: 'on',
              conditions: [{ attribute: 'country', operator: 'eq', value: 'NL' }],
            },
          ],
        },
      },
    });

    await page.goto(`${server.url}/projects/shop/flags/checkout`);
    await page.getByRole('heading', { name: 'Checkout' }).waitFor();
    expect(await ruleItems(page)).toEqual(['Rule 1: everyone', 'Rule 2: dutch']);

    // Before: every unit matches `everyone` first.
    const panel = page.getByRole('region', { name: 'Test this flag' });
    await panel.getByLabel('Evaluation context (JSON)').fill('{"targetingKey": "user-1", "country": "NL"}');
    await panel.getByRole('button', { name: 'Evaluate' }).click();
    await panel.getByText(/^Rule everyone: /).waitFor();
    const explanation = panel.getByRole('list', { name: 'Explanation' }).getByRole('listitem');
    expect((await explanation.allTextContents())[0]).toMatch(/^Rule everyone: /);
    expect(await panel.getByText('false', { exact: true }).count()).toBe(1);

    await page
      .getByRole('listitem', { name: 'Rule 2: dutch' })
      .dragTo(page.getByRole('listitem', { name: 'Rule 1: everyone' }));
    await page.getByRole('listitem', { name: 'Rule 1: dutch' }).waitFor();
    expect(await ruleItems(page)).toEqual(['Rule 1: dutch', 'Rule 2: everyone']);

    await page.getByRole('button', { name: 'Review and save 1 change' }).click();
    const dialog = page.getByRole('dialog');
    const order = dialog.getByRole('row', { name: /rule order/ });
    await order.waitFor();
    expect(await order.textContent()).toContain('everyone, dutch');
    expect(await order.textContent()).toContain('dutch, everyone');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, '07-flag-save-diff');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('button', { name: 'No unsaved changes' }).waitFor();

    // After: the same context now matches `dutch`, the new first rule.
    await panel.getByRole('button', { name: 'Evaluate' }).click();
    await panel.getByText('true', { exact: true }).waitFor();
    expect((await explanation.allTextContents())[0]).toMatch(/^Rule dutch: /);
    expect(await panel.getByText('reason TARGETING_MATCH').count()).toBe(1);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, '08-flag-editor-after-save');

    // Stored, not just shown: a reload reads the same order.
    await page.reload();
    await page.getByRole('listitem', { name: 'Rule 1: dutch' }).waitFor();
    expect(await ruleItems(page)).toEqual(['Rule 1: dutch', 'Rule 2: everyone']);
  }, 90_000);

  it('lists stale flags for clean-up, with nothing stale in a new project', async () => {
    await page.getByRole('link', { name: 'Flags' }).click();
    await page.getByText('Stale', { exact: true }).click();
    await page.getByText('No stale flags in Production.').waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  }, 30_000);
});
