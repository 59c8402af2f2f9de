/**
 * @module browser/session-setup
 * The set-up every browser test file repeats: a server started on a fresh data directory, Chromium
 * beside it with one 1280×800 page, a screenshot of the page when a test fails, and the owner's
 * first-run sign-up in that page; plus API calls made from the signed-in page.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type ServerProcess, startMain } from '@cleave/server/tooling';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildUi, launchChromium, screenshot } from './browser.js';

export interface BrowserSession {
  /** The server's data directory (its embedded store's files). */
  dataDir: string;
  server: ServerProcess;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Closes Chromium, stops the server and removes its data directory. */
  stop(): Promise<void>;
}

/**
 * Builds the UI, then starts a server (with `env` on a fresh data directory named after `name`)
 * and Chromium together, and opens the page the test drives.
 */
export async function startBrowserSession(
  name: string,
  env: Record<string, string>,
): Promise<BrowserSession> {
  const dataDir = await mkdtemp(path.join(tmpdir(), `cleave-${name}-`));
  await buildUi();
  const [started, launched] = await Promise.allSettled([
    startMain({ CLEAVE_DATA_DIR: dataDir, ...env }),
    launchChromium(),
  ]);
  if (started.status === 'rejected' || launched.status === 'rejected') {
    // Half a session would outlive the test file: stop what did start.
    if (started.status === 'fulfilled') await started.value.stop();
    if (launched.status === 'fulfilled') await launched.value.close();
    await rm(dataDir, { recursive: true, force: true });
    throw started.status === 'rejected' ? started.reason : (launched as PromiseRejectedResult).reason;
  }
  const server = started.value;
  const browser = launched.value;
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  return {
    dataDir,
    server,
    browser,
    context,
    page,
    async stop() {
      await browser.close();
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** An `afterEach` hook: what the page showed when a step failed is the first thing to look at. */
export function screenshotOnFailure(page: () => Page | undefined, prefix: string) {
  return async ({ task }: { task: { name: string; result?: { state?: string } } }) => {
    const failed = page();
    if (task.result?.state === 'fail' && failed)
      await screenshot(failed, `${prefix}-${task.name.replaceAll(' ', '-')}`);
  };
}

export interface Owner {
  name: string;
  email: string;
  password: string;
}

/** Fills and sends the first-run form that creates the instance's owner (the caller waits for what follows). */
export async function signUpOwner(
  page: Page,
  serverUrl: string,
  setupCode: string,
  owner: Owner,
): Promise<void> {
  await page.goto(serverUrl);
  await page.getByLabel('Setup code').fill(setupCode);
  await page.getByLabel('Your name').fill(owner.name);
  await page.getByLabel('Email').fill(owner.email);
  await page.getByRole('textbox', { name: 'Password' }).fill(owner.password);
  await page.getByRole('button', { name: 'Create owner account' }).click();
}

/** Fills in and sends the sign-in form the page shows (after a sign-out, or at `/login`). */
export async function signInWith(page: Page, person: { email: string; password: string }): Promise<void> {
  await page.getByLabel('Email').fill(person.email);
  await page.getByRole('textbox', { name: 'Password' }).fill(person.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** From the "No projects yet" page a new owner lands on: creates the first project and waits for its flags. */
export async function createFirstProject(page: Page, name: string): Promise<void> {
  await page.getByLabel('Project name').fill(name);
  await page.getByRole('button', { name: 'Create project' }).click();
  await page.getByRole('heading', { name: 'Flags' }).waitFor();
}

/** A call to the API as the page's signed-in user (with its CSRF token), outside the page's own queries. */
export async function apiFromPage(page: Page, method: string, url: string, body?: unknown): Promise<unknown> {
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
