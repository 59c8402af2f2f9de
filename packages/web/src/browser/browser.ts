/**
 * @module browser/browser
 * What the UI's browser tests share: the built UI, Debian's Chromium driven by playwright-core
 * (`npx playwright install` cannot download browsers here; `.ci/run` installs `chromium` with apt),
 * an axe-core check that fails on serious or critical violations, and 1280×800 screenshots under
 * the git-ignored `packages/web/screenshots/`.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rmdir, stat, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import axe from 'axe-core';
import { type Browser, chromium, type Page } from 'playwright-core';
import { build } from 'vite';

const WEB_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCREENSHOTS = fileURLToPath(new URL('../../screenshots/', import.meta.url));
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const BUILD_LOCK = `${WEB_ROOT}.ui-build.lock`;
const BUILD_MARKER = `${WEB_ROOT}dist/.built-for-test-run`;
/** A lock older than this was left by a run that died mid-build. */
const STALE_LOCK_MS = 5 * 60_000;

/**
 * Builds the UI into `packages/web/dist`, which the server serves, so the test sees this tree's
 * code. Browser test files run in parallel workers of one Vitest run, and a build empties `dist`:
 * so builds take a lock, and a file whose run already built it (same parent process) reuses it
 * rather than emptying `dist` under the other file's server.
 */
export async function buildUi(): Promise<void> {
  const run = String(process.ppid);
  await lockBuild();
  try {
    const builtFor = await readFile(BUILD_MARKER, 'utf8').catch(() => undefined);
    if (builtFor === run) return;
    await build({ root: WEB_ROOT, configFile: `${WEB_ROOT}vite.config.ts`, logLevel: 'warn' });
    await writeFile(BUILD_MARKER, run);
  } finally {
    await rmdir(BUILD_LOCK).catch(() => undefined);
  }
}

async function lockBuild(): Promise<void> {
  for (;;) {
    try {
      await mkdir(BUILD_LOCK);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const since = await stat(BUILD_LOCK).then(
        (lock) => Date.now() - lock.mtimeMs,
        () => 0,
      );
      if (since > STALE_LOCK_MS) await rmdir(BUILD_LOCK).catch(() => undefined);
      else await sleep(250);
    }
  }
}

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-gpu',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/** Runs axe-core on the page as it is now; returns the serious and critical violations. */
export async function seriousAccessibilityViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated through the DevTools protocol, not as a <script> tag: the page's Content-Security-Policy
  // refuses inline scripts, as it should, and the test must not weaken it to run axe.
  // A dialog fading in blends its colours with the overlay's: judge the page once it has settled.
  await page.evaluate(() =>
    Promise.all(document.getAnimations().map((animation) => animation.finished.catch(() => undefined))),
  );
  await page.evaluate(axe.source);
  const violations = await page.evaluate(async () => {
    const result = await (window as unknown as { axe: typeof axe }).axe.run(document);
    return result.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact ?? null,
      help: violation.help,
      targets: violation.nodes.map((node) => `${node.target.join(' ')}: ${node.failureSummary ?? ''}`),
    }));
  });
  return violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage: false });
}
