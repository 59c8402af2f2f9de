/**
 * The experiment creation wizard and the experiments list, through a real browser on the real
 * server process (embedded SQLite): recent traffic sent as events, a layer already half taken, the
 * wizard walked step by step (an invalid weight blocks it; the layer's free range is proposed; the
 * power calculator turns the stats API's sample size and the environment's traffic into days), an
 * API error sending the wizard back to the field it names, and the list showing units and the
 * verdict once an analysis has run.
 */
import { randomUUID } from 'node:crypto';
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

const OWNER = { name: 'Wanda Wizard', email: 'wanda@example.com', password: 'correct horse battery' };
const SETUP_CODE = 'experiment-wizard-setup-code';
const SDK_KEY = `clv_sdk_${'W'.repeat(40)}`;
const DAY_MS = 24 * 3_600_000;
const PROJECT = '/api/v1/projects/default';

/** 700 units exposed to `banner`, 100 on each of the last 7 complete days. */
function recentExposures() {
  const now = Date.now();
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  // The API refuses events more than 168 hours old, and part of the oldest day is older than that
  // at any hour but midnight: each day's events go at the earliest instant of it still accepted.
  const acceptedSince = now - 167 * 3_600_000;
  const within = (day: number) => {
    const start = today - (7 - day) * DAY_MS;
    return Math.min(Math.max(start + 3_600_000, acceptedSince), start + DAY_MS - 1_000);
  };
  return Array.from({ length: 700 }, (_, index) => ({
    id: randomUUID(),
    type: 'exposure',
    unitId: `visitor-${index}`,
    experiment: 'banner',
    variant: index % 2 === 0 ? 'off' : 'on',
    timestamp: new Date(within(Math.floor(index / 100))).toISOString(),
  }));
}

describe('the experiment wizard and list, in a browser', () => {
  let session: BrowserSession | undefined;
  let server: ServerProcess;
  let page: Page;

  beforeAll(async () => {
    session = await startBrowserSession('experiment-wizard', {
      CLEAVE_SETUP_CODE: SETUP_CODE,
      CLEAVE_INIT_SDK_KEY: SDK_KEY,
    });
    ({ server, page } = session);

    await signUpOwner(page, server.url, SETUP_CODE, OWNER);
    await page.getByRole('heading', { name: 'Flags' }).waitFor();

    await apiFromPage(page, 'POST', `${PROJECT}/metrics`, {
      key: 'purchase',
      type: 'proportion',
      numerator: { event: 'purchase' },
    });
    await apiFromPage(page, 'POST', `${PROJECT}/layers`, { key: 'checkout', name: 'Checkout' });
    await apiFromPage(page, 'POST', `${PROJECT}/experiments`, {
      key: 'banner',
      variations: [
        { key: 'off', weight: 0.5 },
        { key: 'on', weight: 0.5 },
      ],
      layer: { key: 'checkout', range: { start: 0, end: 0.5 } },
      metrics: { primary: ['purchase'] },
    });
    const sent = await fetch(`${server.url}/api/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${SDK_KEY}` },
      body: JSON.stringify({ events: recentExposures() }),
    });
    expect(((await sent.json()) as { rejected: unknown[] }).rejected).toEqual([]);
  }, 120_000);

  afterEach(screenshotOnFailure(() => page, 'failed-wizard'));

  afterAll(() => session?.stop());

  it('walks the wizard, plans the duration from traffic, and sends an API error back to its step', async () => {
    await page.goto(`${server.url}/projects/default/experiments/new`);
    await page.getByLabel('Name', { exact: true }).fill('Checkout button');
    await page.getByLabel('Hypothesis').fill('A clearer button sells more.');
    await page.getByRole('button', { name: 'Next' }).click();

    await page.getByLabel('Variation 2 weight').fill('40');
    await page.getByText('weights add up to 90 %, not 100 %').waitFor();
    expect(await page.getByRole('button', { name: 'Next' }).isDisabled()).toBe(true);
    await page.getByLabel('Variation 2 weight').fill('50');
    await page.getByRole('button', { name: 'Next' }).click();

    await page.getByRole('combobox', { name: 'Layer' }).click();
    await page.getByRole('option', { name: 'Checkout' }).click();
    // banner takes 0–50 %: the rest is proposed.
    expect(await page.getByLabel('Layer range start').inputValue()).toBe('50 %');
    await page.getByText('banner: 0 % to 50 %').waitFor();
    await page.getByLabel('Coverage').fill('50');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Next' }).click();

    await page.getByRole('combobox', { name: 'Primary (decides the experiment)' }).click();
    await page.getByRole('option', { name: 'purchase' }).click();
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Next' }).click();

    const calculator = page.getByRole('region', { name: 'Power calculator' });
    // Recent data: 700 units with events and no purchase among them.
    await calculator.getByRole('button', { name: 'Use recent data' }).click();
    await calculator.getByText(/Baseline from 700 units with events in Production/).waitFor();
    expect(await calculator.getByLabel('Baseline conversion rate').inputValue()).toBe('0 %');
    await calculator.getByLabel('Baseline conversion rate').fill('10');
    await calculator.getByLabel('Minimum detectable effect').fill('10');
    await calculator.getByRole('button', { name: 'Calculate' }).click();
    // The engine's textbook plan (10 % → 11 %, α 0.05, 80 % power): 14,749 per arm.
    await calculator.getByText('14,749 units per variation, 29,498 units in all').waitFor();
    // 700 units over the last 14 days is 50 new units a day, a quarter of them entering (50 %
    // coverage × half the layer): 29,498 / 12.5 = 2,359.8 → 2,360 days.
    await calculator.getByText(/About 2360 days at current traffic: 50 new units a day/).waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, '05b-wizard-power-calculator');
    await calculator.getByRole('button', { name: 'Plan for 29,498 units' }).click();
    expect(await page.getByLabel('Planned units').inputValue()).toBe('29498');

    // A key the API refuses: the wizard goes back to it from the review.
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText('checkout, 50 % to 100 %').waitFor();
    await page.getByRole('button', { name: 'Edit hypothesis' }).click();
    await page.getByLabel('Key').fill('Checkout Button!');
    await page.getByRole('button', { name: 'Review' }).click();
    await page.getByRole('button', { name: 'Create experiment' }).click();
    await page.getByText('Needs a fix').waitFor();
    const key = page.getByLabel('Key');
    expect(await key.getAttribute('aria-invalid')).toBe('true');

    await key.fill('checkout-button');
    await page.getByRole('button', { name: 'Review' }).click();
    await page.getByRole('button', { name: 'Create experiment' }).click();
    await page.getByText('A clearer button sells more.').waitFor();
    const created = (await apiFromPage(page, 'GET', `${PROJECT}/experiments/checkout-button`)) as Record<
      string,
      unknown
    >;
    expect(created).toMatchObject({
      coverage: 0.5,
      layer: { key: 'checkout', range: { start: 0.5, end: 1 } },
      metrics: { primary: ['purchase'] },
      analysis: { alpha: 0.05, plannedUnits: 29_498 },
    });
  }, 90_000);

  it('lists units and the verdict once an experiment has results', async () => {
    const { jobId } = (await apiFromPage(page, 'POST', `${PROJECT}/experiments/banner/analysis`, {})) as {
      jobId: string;
    };
    await expect
      .poll(
        async () =>
          ((await apiFromPage(page, 'GET', `${PROJECT}/jobs/${jobId}`)) as { status: string }).status,
        { timeout: 20_000 },
      )
      .toBe('succeeded');
    await page.goto(`${server.url}/projects/default/experiments`);
    const banner = page.getByRole('row', { name: /banner/ });
    await banner.getByText('700').waitFor();
    // No purchases at all: nothing to tell the variations apart.
    await banner.getByText('Inconclusive').waitFor();
    await page
      .getByRole('row', { name: /Checkout button/ })
      .getByText('Not analysed')
      .waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, '04b-experiments-list');
  }, 60_000);
});
