import type { ServerProcess } from '@cleave/server/tooling';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, seriousAccessibilityViolations } from './browser.js';
import {
  apiFromPage,
  type BrowserSession,
  createFirstProject,
  screenshotOnFailure,
  signInWith,
  signUpOwner,
  startBrowserSession,
} from './session-setup.js';

const OWNER = { name: 'Olivia Owner', email: 'olivia@example.com', password: 'correct horse battery' };
const VIEWER = { name: 'Victor Viewer', email: 'victor@example.com', password: 'viewer password 1' };
const SETUP_CODE = 'management-pages-setup-code';

async function expectAccessible(page: Page): Promise<void> {
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
}

describe('the management pages in a browser', () => {
  let session: BrowserSession | undefined;
  let server: ServerProcess;
  let page: Page;
  let sdkSecret = '';

  /** The SDK configuration endpoint's answer to a key: 200 while it is valid, 401 once revoked. */
  const sdkConfigStatus = async (secret: string) =>
    (await fetch(`${server.url}/api/v1/sdk/config`, { headers: { authorization: `Bearer ${secret}` } }))
      .status;

  const openSection = async (name: string, heading = name) => {
    await page.getByRole('navigation', { name: 'Project' }).getByRole('link', { name }).click();
    await page.getByRole('heading', { name: heading, level: 2 }).waitFor();
  };

  beforeAll(async () => {
    session = await startBrowserSession('management-ui', { CLEAVE_SETUP_CODE: SETUP_CODE });
    ({ server, page } = session);
  }, 120_000);

  afterEach(screenshotOnFailure(() => page, 'failed-management'));

  afterAll(() => session?.stop());

  it('creates a segment with a condition', async () => {
    await signUpOwner(page, server.url, SETUP_CODE, OWNER);
    await createFirstProject(page, 'Shop');

    await openSection('Segments');
    await page.getByRole('link', { name: 'New segment' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Beta testers');
    await page.getByRole('button', { name: 'Add condition' }).click();
    await page.getByLabel('Condition 1 value').fill('NL');
    await page.getByRole('button', { name: 'Create segment' }).click();
    // The API's message for the empty attribute appears under that field.
    await page.getByLabel('Condition 1 attribute').and(page.locator('[aria-invalid="true"]')).waitFor();
    await page.getByLabel('Condition 1 attribute').fill('country');
    await page.getByRole('button', { name: 'Create segment' }).click();
    await page.getByRole('heading', { name: 'Beta testers' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/projects/shop/segments/beta-testers');
    await expectAccessible(page);
    await screenshot(page, '10-segment');

    await openSection('Segments');
    expect(await page.getByRole('row', { name: /Beta testers/ }).textContent()).toContain('country eq "NL"');
    await expectAccessible(page);
    await screenshot(page, '11-segments');
  }, 60_000);

  it('groups conditions: any of them, nested in the list', async () => {
    await page.getByRole('link', { name: 'New segment' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Dutch or VIP');
    await page.getByRole('button', { name: 'Add condition' }).click();
    await page.getByRole('combobox', { name: 'Condition 1 operator' }).click();
    await page.getByRole('option', { name: 'any of (group)' }).click();
    const group = page.getByRole('group', { name: 'Conditions of group 1' });
    await group.getByLabel('Condition 1.1 attribute').fill('country');
    await group.getByLabel('Condition 1.1 value').fill('NL');
    await group.getByRole('button', { name: 'Add condition to group 1' }).click();
    await group.getByRole('combobox', { name: 'Condition 1.2 operator' }).click();
    await page.getByRole('option', { name: 'exists', exact: true }).click();
    await page.getByRole('button', { name: 'Create segment' }).click();
    // The API names the empty attribute inside the group (/conditions/0/any/1/attribute): shown there.
    await group.getByLabel('Condition 1.2 attribute').and(page.locator('[aria-invalid="true"]')).waitFor();
    await group.getByLabel('Condition 1.2 attribute').fill('vip');
    await page.getByRole('button', { name: 'Create segment' }).click();
    await page.getByRole('heading', { name: 'Dutch or VIP' }).waitFor();
    expect(await apiFromPage(page, 'GET', '/api/v1/projects/shop/segments/dutch-or-vip')).toMatchObject({
      conditions: [
        {
          any: [
            { attribute: 'country', operator: 'eq', value: 'NL' },
            { attribute: 'vip', operator: 'exists' },
          ],
        },
      ],
    });
    // It opens as it was built, and stays editable.
    await page.reload();
    expect(await group.getByLabel('Condition 1.2 attribute').inputValue()).toBe('vip');
    await expectAccessible(page);
    await screenshot(page, '11b-segment-groups');
    await openSection('Segments');
  }, 60_000);

  it('creates a metric', async () => {
    await openSection('Metrics');
    await page.getByRole('link', { name: 'New metric' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Purchases');
    await page.getByRole('textbox', { name: 'Event', exact: true }).fill('purchase');
    await expectAccessible(page);
    await screenshot(page, '12-new-metric');
    await page.getByRole('button', { name: 'Create metric' }).click();
    await page.getByRole('heading', { name: 'Purchases' }).waitFor();
    await openSection('Metrics');
    expect(await page.getByRole('row', { name: /Purchases/ }).textContent()).toContain(
      'share of units with purchase',
    );
    await expectAccessible(page);
    await screenshot(page, '13-metrics');
  }, 30_000);

  it('takes a saved cap away again', async () => {
    const stored = async () =>
      (await apiFromPage(page, 'GET', '/api/v1/projects/shop/metrics/purchases')) as Record<string, unknown>;
    await page.getByRole('link', { name: 'Purchases' }).click();
    await page.getByRole('heading', { name: 'Purchases' }).waitFor();
    const choose = async (select: string, option: string) => {
      await page.getByRole('combobox', { name: select }).click();
      await page.getByRole('option', { name: option }).click();
    };
    await choose('Type', 'Mean: per-unit count or sum, averaged');
    await choose('Cap', 'At a value');
    await page.getByLabel('Highest value per unit').fill('100');
    await page.getByRole('button', { name: 'Save metric' }).click();
    // Shown once the form holds what the server stored (it is reloaded after a save).
    await page.getByRole('status').getByText('Saved.').waitFor();
    expect((await stored()).capping).toEqual({ type: 'absolute', value: 100 });

    await choose('Cap', 'No cap');
    await page.getByRole('button', { name: 'Save metric' }).click();
    // PATCH keeps what it is not sent: the form sends the cleared cap as null, which removes it.
    await expect.poll(async () => (await stored()).version).toBe(3);
    expect(await stored()).not.toHaveProperty('capping');
    expect(await stored()).toMatchObject({ type: 'mean' });
  }, 30_000);

  it('creates an API key whose secret is shown once, and revokes it', async () => {
    await openSection('API keys');
    await page.getByLabel('Key name').fill('browser test');
    await page.getByRole('button', { name: 'Create key' }).click();
    sdkSecret = (await page.getByTestId('secret').textContent()) ?? '';
    expect(sdkSecret.length).toBeGreaterThan(20);
    expect(await sdkConfigStatus(sdkSecret)).toBe(200);
    await expectAccessible(page);
    await screenshot(page, '14-api-key-created');

    await page.getByRole('button', { name: 'I have stored it' }).click();
    await page.reload();
    await page.getByRole('button', { name: 'Revoke browser test' }).waitFor();
    expect(await page.content()).not.toContain(sdkSecret);

    await page.getByRole('button', { name: 'Revoke browser test' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke key' }).click();
    await page.getByText(/^revoked/).waitFor();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    expect(await sdkConfigStatus(sdkSecret)).toBe(401);
    await expectAccessible(page);
    await screenshot(page, '15-api-keys');
  }, 30_000);

  it('shows all of it in the audit log, filtered by kind of object', async () => {
    await openSection('Audit log');
    const records = page.getByRole('table', { name: 'Audit records' });
    for (const action of ['segment.created', 'metric.created', 'api_key.created', 'api_key.revoked'])
      await records.getByText(action, { exact: true }).first().waitFor();
    expect(await records.getByRole('row', { name: /api_key.revoked/ }).textContent()).toContain(OWNER.name);
    await expectAccessible(page);
    await screenshot(page, '16-audit-log');

    await page.getByRole('combobox', { name: 'Object' }).click();
    await page.getByRole('option', { name: 'segment' }).click();
    await records.getByText('metric.created').waitFor({ state: 'detached' });
    expect(await records.getByText('segment.created').count()).toBe(2);
  }, 30_000);

  it('renames a project, adds an environment, and deletes the project after its key is typed', async () => {
    await apiFromPage(page, 'POST', '/api/v1/projects', { key: 'scratch', name: 'Scratch' });
    await page.goto(`${server.url}/projects/scratch/settings`);
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
    await page.getByLabel('Name', { exact: true }).fill('Scratch pad');
    await page.getByRole('button', { name: 'Save project' }).click();
    await expect
      .poll(
        async () => ((await apiFromPage(page, 'GET', '/api/v1/projects/scratch')) as { name: string }).name,
      )
      .toBe('Scratch pad');
    await page.getByLabel('Environment key').fill('qa');
    await page.getByLabel('Environment name').fill('QA');
    await page.getByRole('button', { name: 'Add environment' }).click();
    await page
      .getByRole('table', { name: 'Environments' })
      .getByRole('cell', { name: 'qa', exact: true })
      .waitFor();
    await expectAccessible(page);
    await screenshot(page, '16b-project-settings');

    await page.getByRole('button', { name: 'Delete project…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete Scratch pad?' });
    const confirm = dialog.getByRole('button', { name: 'Delete project' });
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByLabel('Project key').fill('scratc');
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByLabel('Project key').fill('scratch');
    await confirm.click();
    await page.waitForURL((url) => !url.pathname.startsWith('/projects/scratch'));
    const gone = await page.evaluate(async () => (await fetch('/api/v1/projects/scratch')).status);
    expect(gone).toBe(404);
    // The other project is untouched.
    expect(await page.evaluate(async () => (await fetch('/api/v1/projects/shop')).status)).toBe(200);
  }, 60_000);

  it('shows a viewer these pages without a control to change anything', async () => {
    await page.evaluate(
      async ({ viewer }) => {
        const { csrfToken } = await (await fetch('/api/v1/auth/session')).json();
        const send = async (method: string, url: string, body: unknown) => {
          const response = await fetch(url, {
            method,
            headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken },
            body: JSON.stringify(body),
          });
          if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${await response.text()}`);
        };
        await send('POST', '/api/v1/users', viewer);
        await send('PUT', '/api/v1/projects/shop/members', { email: viewer.email, role: 'viewer' });
      },
      { viewer: VIEWER },
    );
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signInWith(page, VIEWER);
    await page.getByRole('heading', { name: 'Flags' }).waitFor();

    const navigation = page.getByRole('navigation', { name: 'Project' });
    expect(await navigation.getByRole('link', { name: 'API keys' }).count()).toBe(0);
    expect(await navigation.getByRole('link', { name: 'Webhooks' }).count()).toBe(0);

    await openSection('Segments');
    await page.getByRole('link', { name: 'Beta testers' }).click();
    await page.getByText('country eq "NL"', { exact: true }).waitFor();
    expect(await page.getByRole('main').getByRole('button').count()).toBe(0);
    await expectAccessible(page);
    await screenshot(page, '17-segment-as-viewer');

    await openSection('Metrics');
    await page.getByRole('link', { name: 'Purchases' }).waitFor();
    expect(await page.getByRole('link', { name: 'New metric' }).count()).toBe(0);

    await openSection('Members');
    await page.getByRole('row', { name: /victor@example.com/ }).waitFor();
    expect(await page.getByRole('main').getByRole('button').count()).toBe(0);
    expect(await page.getByRole('main').getByRole('combobox').count()).toBe(0);
    await expectAccessible(page);
  }, 45_000);
});
