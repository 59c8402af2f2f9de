import type { ServerProcess } from '@cleave/server/tooling';
import type { BrowserContext, Page } from 'playwright-core';
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
const LEAVER = { name: 'Leo Leaver', email: 'leo@example.com', password: 'leaving soon 1' };
const SETUP_CODE = 'people-setup-code';

async function signIn(page: Page, serverUrl: string, person: { email: string; password: string }) {
  await page.goto(serverUrl);
  await signInWith(page, person);
}

describe('offboarding in a browser: the People page', () => {
  let session: BrowserSession | undefined;
  let server: ServerProcess;
  let page: Page;
  let leaverContext: BrowserContext | undefined;
  let leaverPage: Page | undefined;

  beforeAll(async () => {
    session = await startBrowserSession('people-ui', { CLEAVE_SETUP_CODE: SETUP_CODE });
    ({ server, page } = session);
  }, 120_000);

  afterEach(screenshotOnFailure(() => page, 'failed-people'));
  afterEach(screenshotOnFailure(() => leaverPage, 'failed-people-leaver'));

  afterAll(async () => {
    await leaverContext?.close();
    await session?.stop();
  });

  it('disables a person: their open page is signed out on its next request and sign-in is refused; enabling lets them back', async () => {
    await signUpOwner(page, server.url, SETUP_CODE, OWNER);
    await createFirstProject(page, 'Shop');
    await apiFromPage(page, 'POST', '/api/v1/users', LEAVER);
    await apiFromPage(page, 'PUT', '/api/v1/projects/shop/members', { email: LEAVER.email, role: 'editor' });

    // The leaver works in their own browser (a separate cookie jar).
    leaverContext = await (session as BrowserSession).browser.newContext({
      viewport: { width: 1280, height: 800 },
    });
    leaverPage = await leaverContext.newPage();
    await signIn(leaverPage, server.url, LEAVER);
    await leaverPage.getByRole('heading', { name: 'Flags' }).waitFor();

    await page.getByRole('link', { name: 'People' }).click();
    await page.getByRole('heading', { name: 'People', level: 2 }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/instance/people');
    const people = page.getByRole('table', { name: 'People' });
    const leaverRow = people.getByRole('row', { name: new RegExp(LEAVER.name) });
    await leaverRow.getByText('Active').waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, '40-people');

    await leaverRow.getByRole('button', { name: `Disable ${LEAVER.name}` }).click();
    const dialog = page.getByRole('dialog', { name: `Disable ${LEAVER.name}?` });
    expect(await dialog.textContent()).toContain(LEAVER.email);
    await dialog.getByRole('button', { name: `Disable ${LEAVER.name}` }).click();
    await dialog.waitFor({ state: 'detached' });
    await leaverRow.getByText('Disabled').waitFor();

    // The leaver's page, still open, makes its next request: refused, it turns to sign-in.
    await leaverPage.getByRole('navigation', { name: 'Project' }).getByText('Experiments').click();
    await leaverPage.getByRole('button', { name: 'Sign in' }).waitFor();
    await signIn(leaverPage, server.url, LEAVER);
    await leaverPage.getByText('This account is disabled').waitFor();

    await leaverRow.getByRole('button', { name: `Enable ${LEAVER.name}` }).click();
    await leaverRow.getByText('Active').waitFor();
    await signIn(leaverPage, server.url, LEAVER);
    await leaverPage.getByRole('heading', { name: 'Flags' }).waitFor();
  });
});
