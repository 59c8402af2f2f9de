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
// A project admin, but not an instance administrator: the instance's log (and its people) are not theirs to read.
const ADMIN = { name: 'Adam Admin', email: 'adam@example.com', password: 'project admin 1' };
// A member of the deleted project only: no project left names her, the instance's accounts do.
const DORA = { name: 'Dora Departed', email: 'dora@example.com', password: 'deleted project 1' };
const SETUP_CODE = 'instance-audit-setup-code';

const booleanFlag = (key: string, name: string) => ({
  key,
  name,
  type: 'boolean',
  variants: [
    { key: 'off', value: false },
    { key: 'on', value: true },
  ],
  defaultVariant: 'off',
  offVariant: 'off',
});

/** A change made by someone else, over the API from outside the browser (whose session stays the owner's). */
async function actAs(
  serverUrl: string,
  person: { email: string; password: string },
  method: string,
  url: string,
  body: unknown,
): Promise<void> {
  const login = await fetch(`${serverUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: person.email, password: person.password }),
  });
  if (!login.ok) throw new Error(`sign-in failed: ${login.status} ${await login.text()}`);
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const response = await fetch(`${serverUrl}${url}`, {
    method,
    headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${url} failed: ${response.status} ${await response.text()}`);
}

describe("the instance audit log in a browser: a deleted project's trail", () => {
  let session: BrowserSession | undefined;
  let server: ServerProcess;
  let page: Page;

  beforeAll(async () => {
    session = await startBrowserSession('instance-audit-ui', { CLEAVE_SETUP_CODE: SETUP_CODE });
    ({ server, page } = session);
  }, 120_000);

  afterEach(screenshotOnFailure(() => page, 'failed-instance-audit'));

  afterAll(() => session?.stop());

  it("finds a project's deletion and opens the deleted project's whole trail", async () => {
    await signUpOwner(page, server.url, SETUP_CODE, OWNER);
    await createFirstProject(page, 'Shop');

    await apiFromPage(page, 'POST', '/api/v1/projects', { key: 'scratch', name: 'Scratch' });
    await apiFromPage(
      page,
      'POST',
      '/api/v1/projects/scratch/flags',
      booleanFlag('doomed-flag', 'Doomed flag'),
    );
    await apiFromPage(page, 'POST', '/api/v1/users', DORA);
    await apiFromPage(page, 'PUT', '/api/v1/projects/scratch/members', { email: DORA.email, role: 'editor' });
    await actAs(
      server.url,
      DORA,
      'POST',
      '/api/v1/projects/scratch/flags',
      booleanFlag('doras-flag', "Dora's flag"),
    );
    const { id: scratchId } = (await apiFromPage(page, 'GET', '/api/v1/projects/scratch')) as { id: string };
    await page.goto(`${server.url}/projects/scratch/settings`);
    await page.getByRole('button', { name: 'Delete project…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete Scratch?' });
    await dialog.getByLabel('Project key').fill('scratch');
    await dialog.getByRole('button', { name: 'Delete project' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/projects/scratch'));
    await page.getByRole('heading', { name: 'Flags' }).waitFor();

    await page.getByRole('link', { name: 'Instance audit log' }).click();
    await page.getByRole('heading', { name: 'Instance audit log', level: 2 }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/instance/audit');
    const records = page.getByRole('table', { name: 'Audit records' });
    // Every project's records: Shop's, named, beside the deleted one's.
    await records.getByRole('row', { name: /Shop Olivia Owner project.created/ }).waitFor();

    await page.getByRole('combobox', { name: 'Object' }).click();
    await page.getByRole('option', { name: 'project', exact: true }).click();
    const deletion = records.getByRole('row', { name: /project.deleted/ });
    await deletion.waitFor();
    await records.getByText('flag.created').first().waitFor({ state: 'detached' });
    expect(await deletion.textContent()).toContain(scratchId);
    expect(await deletion.textContent()).toContain('deleted project');
    expect(await deletion.textContent()).toContain(OWNER.name);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, '30-instance-audit-deletions');

    await deletion.getByRole('button', { name: `Whole trail of deleted project ${scratchId}` }).click();
    // The whole trail, newest first: from the deletion back to the project's creation, the flag
    // made in it between; nothing of Shop's.
    await records.getByText('flag.created', { exact: true }).first().waitFor();
    const actions = await records.locator('tbody tr td:nth-child(4)').allTextContents();
    expect(actions[0]).toBe('project.deleted');
    expect(actions).toContain('flag.created');
    expect(actions.at(-1)).toBe('project.created');
    const projects = await records.locator('tbody tr td:nth-child(2)').allTextContents();
    expect(projects.every((cell) => cell === `${scratchId}deleted project`)).toBe(true);
    expect(await page.getByRole('combobox', { name: 'Project' }).inputValue()).toBe(
      `${scratchId} (deleted project)`,
    );
    expect(await page.getByRole('combobox', { name: 'Object' }).inputValue()).toBe('');
    // Dora was a member of the deleted project only: named all the same.
    await records.getByRole('row', { name: /Dora Departed flag.created/ }).waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, '31-instance-audit-deleted-trail');

    // The trail is in the address: a reload (or a bookmark) shows it again.
    expect(new URL(page.url()).searchParams.get('projectId')).toBe(scratchId);
    await page.reload();
    await records.getByRole('row', { name: /Dora Departed flag.created/ }).waitFor();
    await expect
      .poll(() => page.getByRole('combobox', { name: 'Project' }).inputValue())
      .toBe(`${scratchId} (deleted project)`);
    // Back undoes the last filter change: the deletions again.
    await page.goBack();
    await records.getByText('flag.created').first().waitFor({ state: 'detached' });
    await deletion.waitFor();
    expect(await page.getByRole('combobox', { name: 'Object' }).inputValue()).toBe('project');
    expect(await page.getByRole('combobox', { name: 'Project' }).inputValue()).toBe('');
  }, 60_000);

  it('gives a member who is not an instance administrator neither the link nor the page', async () => {
    await apiFromPage(page, 'POST', '/api/v1/users', ADMIN);
    await apiFromPage(page, 'PUT', '/api/v1/projects/shop/members', { email: ADMIN.email, role: 'admin' });
    await page.getByRole('link', { name: 'Projects' }).click();
    await page.getByRole('heading', { name: 'Flags' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signInWith(page, ADMIN);
    await page.getByRole('heading', { name: 'Flags' }).waitFor();
    // Their project's own audit log is there; the instance's is not offered.
    await page
      .getByRole('navigation', { name: 'Project' })
      .getByRole('link', { name: 'Audit log' })
      .waitFor();
    expect(await page.getByRole('link', { name: 'Instance audit log' }).count()).toBe(0);

    await page.goto(`${server.url}/instance/audit`);
    await page.getByRole('heading', { name: 'Instance audit log', level: 2 }).waitFor();
    await page.getByText('Only instance administrators see the audit log of the whole instance.').waitFor();
    expect(await page.getByRole('table', { name: 'Audit records' }).count()).toBe(0);
    // The API agrees.
    expect(await page.evaluate(async () => (await fetch('/api/v1/audit')).status)).toBe(403);
    expect(await page.evaluate(async () => (await fetch('/api/v1/users')).status)).toBe(403);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, '32-instance-audit-refused');
  }, 45_000);
});
