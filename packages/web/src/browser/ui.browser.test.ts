import { createClient } from '@cleave/sdk';
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

const OWNER = { name: 'Olivia Owner', email: 'olivia@example.com', password: 'correct horse battery' };
const SETUP_CODE = 'browser-test-setup-code';
const VIEWER = { name: 'Victor Viewer', email: 'victor@example.com', password: 'viewer password 1' };

async function expectAccessible(page: Page): Promise<void> {
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
}

describe('the web UI in a browser', () => {
  let session: BrowserSession | undefined;
  let server: ServerProcess;
  let page: Page;

  beforeAll(async () => {
    session = await startBrowserSession('ui', { CLEAVE_SETUP_CODE: SETUP_CODE });
    ({ server, page } = session);
  }, 120_000);

  afterEach(screenshotOnFailure(() => page, 'failed'));

  afterAll(() => session?.stop());

  it('sets up the owner on first run and creates the first project', async () => {
    await page.goto(server.url);
    await expect(page.getByRole('heading', { name: 'Set up Cleave' }).waitFor()).resolves.toBeUndefined();
    await expectAccessible(page);
    await screenshot(page, '01-first-run-setup');

    await page.getByLabel('Setup code').fill('wrong code');
    await page.getByLabel('Your name').fill(OWNER.name);
    await page.getByLabel('Email').fill(OWNER.email);
    await page.getByRole('textbox', { name: 'Password' }).fill('short');
    await page.getByRole('button', { name: 'Create owner account' }).click();
    // The API's message appears under the field it names.
    await page.getByText('must be at least 10 characters').waitFor();

    await page.getByRole('textbox', { name: 'Password' }).fill(OWNER.password);
    await page.getByRole('button', { name: 'Create owner account' }).click();
    await page.getByText(/needs the setup code/).waitFor();
    await page.getByLabel('Setup code').fill(SETUP_CODE);
    await page.getByRole('button', { name: 'Create owner account' }).click();
    await page.getByRole('heading', { name: 'No projects yet' }).waitFor();
    await page.getByLabel('Project name').fill('Shop');
    expect(await page.getByLabel('Key').inputValue()).toBe('shop');
    await page.getByRole('button', { name: 'Create project' }).click();
    await page.getByRole('heading', { name: 'Flags' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/projects/shop/flags');
  }, 60_000);

  it('creates a flag with a rule, and its switch reaches an SDK stream', async () => {
    const { secret } = (await apiFromPage(page, 'POST', '/api/v1/projects/shop/api-keys', {
      name: 'browser test',
      kind: 'sdk',
      environment: 'production',
    })) as { secret: string };
    const sdk = createClient({ sdkKey: secret, apiHost: server.url, events: { enabled: false } });
    try {
      expect(await sdk.ready()).toBe('ready');

      await page.getByRole('link', { name: 'New flag' }).click();
      await page.getByLabel('Name', { exact: true }).fill('New checkout');
      await page.getByLabel('Variant 2 value').fill('yes');
      await page.getByText('must be true or false').waitFor();
      await page.getByLabel('Variant 2 value').fill('true');
      await page.getByRole('button', { name: 'Create flag' }).click();
      await page.getByRole('heading', { name: 'New checkout' }).waitFor();

      // The rule serves the last variant (`on`) unless told otherwise; it is saved after the diff.
      await page.getByRole('button', { name: 'Add a rule' }).click();
      await page.getByRole('button', { name: 'Add condition' }).click();
      await page.getByRole('combobox', { name: 'Condition 1 attribute' }).fill('country');
      await page.getByLabel('Condition 1 value').fill('NL');
      await page.getByRole('button', { name: 'Add to draft' }).click();
      await page.getByRole('listitem', { name: 'Rule 1: rule-1' }).waitFor();
      await page.getByRole('button', { name: 'Review and save 1 change' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
      await page.getByRole('button', { name: 'No unsaved changes' }).waitFor();
      await expectAccessible(page);
      await screenshot(page, '03-flag-editor');

      const context = { targetingKey: 'user-1', country: 'NL' };
      expect(sdk.getBooleanValue('new-checkout', false, context)).toBe(false);
      // The switch follows the server: it turns on once the change is stored.
      const productionSwitch = page.getByRole('switch', { name: 'new-checkout in Production' });
      await productionSwitch.click({ force: true });
      await expect.poll(() => productionSwitch.isChecked()).toBe(true);
      await expect
        .poll(() => sdk.getBooleanValue('new-checkout', false, context), { timeout: 10_000 })
        .toBe(true);
      expect(sdk.getBooleanValue('new-checkout', false, { targetingKey: 'user-2', country: 'FR' })).toBe(
        false,
      );
    } finally {
      await sdk.close();
    }

    // Test this flag: the explanation names the rule that decided.
    const panel = page.getByRole('region', { name: 'Test this flag' });
    await panel.getByLabel('Evaluation context (JSON)').fill('{"targetingKey": "user-1", "country": "NL"}');
    await panel.getByRole('button', { name: 'Evaluate' }).click();
    await panel.getByText(/^Rule rule-1: /).waitFor();
    expect(await panel.getByText('reason TARGETING_MATCH').count()).toBe(1);

    await page.getByRole('link', { name: 'Flags' }).click();
    await page.getByRole('link', { name: 'New checkout' }).waitFor();
    expect(await page.getByRole('switch', { name: 'new-checkout in Production' }).isChecked()).toBe(true);
    await expectAccessible(page);
    await screenshot(page, '02-flags');
  }, 60_000);

  it('adds, reorders and removes rules with the keyboard alone', async () => {
    await page.getByRole('link', { name: 'New checkout' }).click();
    await page.getByRole('button', { name: 'Add a rule' }).focus();
    await page.keyboard.press('Enter');
    await page.getByLabel('Rule id').focus();
    await page.keyboard.press('Enter');
    await page.getByRole('listitem', { name: 'Rule 2: rule-2' }).waitFor();

    await page.getByRole('button', { name: 'Move rule-2 up' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('listitem', { name: 'Rule 1: rule-2' }).waitFor();
    await page.getByRole('listitem', { name: 'Rule 2: rule-1' }).waitFor();

    await page.getByRole('button', { name: 'Remove rule-1' }).focus();
    await page.keyboard.press('Space');
    await page.getByRole('listitem', { name: 'Rule 2: rule-1' }).waitFor({ state: 'detached' });
    expect(await page.getByRole('listitem').count()).toBe(1);

    // Saved from the keyboard too, after the diff.
    await page.getByRole('button', { name: /^Review and save/ }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').getByRole('button', { name: 'Save' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'No unsaved changes' }).waitFor();
  }, 30_000);

  it('creates an experiment, lets it decide the flag, and starts it', async () => {
    await apiFromPage(page, 'POST', '/api/v1/projects/shop/metrics', {
      key: 'purchase',
      type: 'proportion',
      numerator: { event: 'purchase' },
    });
    await page.getByRole('link', { name: 'Experiments' }).click();
    await page.getByRole('link', { name: 'New experiment' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Checkout call to action');
    await page.getByLabel('Hypothesis').fill('A clearer button sells more.');
    await page.getByRole('button', { name: 'Next' }).click();
    // The variations are the flag's variants, so the experiment can decide it.
    await page.getByLabel('Variation 1 key').fill('off');
    await page.getByLabel('Variation 2 key').fill('on');
    await page.getByLabel('Variation 2 weight').fill('40');
    await page.getByText('weights add up to 90 %, not 100 %').waitFor();
    await page.getByLabel('Variation 2 weight').fill('50');
    await page.getByRole('button', { name: 'Metrics' }).click();
    await page.getByRole('combobox', { name: 'Primary (decides the experiment)' }).click();
    await page.getByRole('option', { name: 'purchase' }).click();
    await page.keyboard.press('Escape');
    await expectAccessible(page);
    await screenshot(page, '05-new-experiment');
    await page.getByRole('button', { name: 'Review' }).click();
    await page.getByRole('button', { name: 'Create experiment' }).click();
    await page.getByText('A clearer button sells more.').waitFor();

    const flag = (await apiFromPage(page, 'GET', '/api/v1/projects/shop/flags/new-checkout')) as {
      version: number;
    };
    await apiFromPage(
      page,
      'POST',
      '/api/v1/projects/shop/flags/new-checkout/environments/production/rules',
      {
        rule: { id: 'cta-test', type: 'experiment', experimentKey: 'checkout-call-to-action' },
        version: flag.version,
      },
    );
    await page.getByRole('button', { name: 'Start' }).click();
    await page.getByRole('button', { name: 'Conclude…' }).waitFor();
    await page.getByText('No analysis yet in Production. Run one to see results.').waitFor();
    await expectAccessible(page);
    await screenshot(page, '06-experiment');

    await page.getByRole('link', { name: 'Experiments' }).click();
    await page.getByRole('link', { name: 'Checkout call to action' }).waitFor();
    // The list may first show what it cached before the start, then its refetch.
    await page
      .getByRole('row', { name: /Checkout call to action/ })
      .filter({ hasText: 'running' })
      .waitFor();
    await expectAccessible(page);
    await screenshot(page, '04-experiments');
  }, 45_000);

  it('shows a viewer the flags without any control to change them', async () => {
    await apiFromPage(page, 'POST', '/api/v1/users', VIEWER);
    await apiFromPage(page, 'PUT', '/api/v1/projects/shop/members', { email: VIEWER.email, role: 'viewer' });
    await page.getByRole('link', { name: 'Flags' }).click();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to Cleave' }).waitFor();
    await expectAccessible(page);
    await screenshot(page, '00-sign-in');

    await signInWith(page, VIEWER);
    await page.getByRole('link', { name: 'New checkout' }).waitFor();
    expect(await page.getByRole('switch', { name: 'new-checkout in Production' }).isDisabled()).toBe(true);
    expect(await page.getByRole('link', { name: 'New flag' }).count()).toBe(0);

    await page.getByRole('link', { name: 'New checkout' }).click();
    await page.getByRole('listitem', { name: 'Rule 1: rule-2' }).waitFor();
    expect(await page.getByRole('button', { name: /^Move|^Remove|^Edit|^Add|^Review/ }).count()).toBe(0);
    expect(await page.getByRole('switch').isDisabled()).toBe(true);
  }, 60_000);
});
