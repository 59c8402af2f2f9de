import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ConfigPayload } from '@cleave/core';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSER_BUILD } from '../../scripts/build-browser.js';
import { bundleSdk } from '../../scripts/bundle-sdk.js';
import { payloadOf, stringFlag } from '../test-support/payloads.js';

/**
 * The SDK in real Chromium, loaded by `<script type="module">` from a web server without a
 * bundler: the single-file browser module (dist/cleave.browser.js, docs/sdk.md), and the SDK as an
 * application's bundler splits it, where core's regex engine is a chunk of its own that the page
 * fetches only when a configuration has `matches` conditions (issue #14).
 */

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SDK_KEY = 'sdk-key';

/** `button-color` is "other" for example.com addresses (a `matches` rule), "blue" otherwise. */
function regexPayload(version: number): ConfigPayload {
  const flag = {
    ...stringFlag(),
    rules: [
      {
        id: 'staff',
        type: 'force' as const,
        variant: 'other',
        conditions: [{ attribute: 'email', operator: 'matches' as const, value: '@example\\.com$' }],
      },
    ],
  };
  return payloadOf(version, [flag]);
}

/** A page whose module script loads the SDK from `sdkPath`, evaluates, and leaves the answers in `window.answers`. */
function pageOf(sdkPath: string, options: Record<string, unknown>): string {
  return `<!doctype html><html><head><title>sdk</title></head><body>
<script type="module">
import { createClient } from ${JSON.stringify(sdkPath)};
const client = createClient({ ...${JSON.stringify(options)}, apiHost: location.origin });
const errors = [];
client.on('error', (error) => errors.push(error.code));
const status = await client.ready();
window.answers = {
  status,
  errors,
  staff: client.getStringValue('button-color', 'none', { targetingKey: 'u1', email: 'ann@example.com' }),
  visitor: client.getStringValue('button-color', 'none', { targetingKey: 'u2', email: 'bob@elsewhere.org' }),
};
await client.close();
</script></body></html>`;
}

let server: Server;
let origin: string;
let browser: Browser;
/** Path → [content type, body]: what the test server serves. */
const files = new Map<string, [string, string]>();
let servedConfig: ConfigPayload = payloadOf(1);
let regexChunk = '';
/** Requests of the regex chunk still to answer with 503 (a CDN hiccup). */
let failRegexChunk = 0;

beforeAll(async () => {
  const single = await bundleSdk(BROWSER_BUILD);
  files.set('/cdn/cleave.browser.js', ['text/javascript', single.code]);
  const split = await bundleSdk({ ...BROWSER_BUILD, splitting: true });
  files.set('/split/entry.js', ['text/javascript', split.code]);
  for (const chunk of split.chunks) files.set(`/split/${chunk.name}`, ['text/javascript', chunk.code]);
  // The chunk that holds the engine: the one the entry reaches only through import().
  regexChunk = split.chunks.find((chunk) => chunk.code.includes('backreference'))?.name ?? '';

  server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname === '/api/v1/sdk/config') {
      response.writeHead(200, { 'content-type': 'application/json', etag: `"${servedConfig.version}"` });
      response.end(JSON.stringify(servedConfig));
      return;
    }
    const file = files.get(url.pathname);
    if (url.pathname === `/split/${regexChunk}` && failRegexChunk > 0) {
      failRegexChunk -= 1;
      response.writeHead(503).end();
      return;
    }
    if (file === undefined) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': file[0] });
    response.end(file[1]);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM} (set CHROMIUM_PATH)`);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--no-first-run',
    ],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

/** Opens `html` (served at `/page.html`); returns its answers and the paths it requested. */
async function run(html: string): Promise<{ answers: unknown; requested: string[] }> {
  files.set('/page.html', ['text/html', html]);
  const page: Page = await browser.newPage();
  const requested: string[] = [];
  const errors: string[] = [];
  page.on('request', (request) => requested.push(new URL(request.url()).pathname));
  page.on('pageerror', (error) => errors.push(error.message));
  try {
    await page.goto(`${origin}/page.html`);
    await page.waitForFunction(() => 'answers' in window, undefined, { timeout: 10_000 });
    expect(errors).toEqual([]);
    return {
      answers: await page.evaluate(() => (window as unknown as { answers: unknown }).answers),
      requested,
    };
  } finally {
    await page.close();
  }
}

describe('the SDK in Chromium, loaded by <script type="module"> without a bundler', () => {
  it('the single-file module evaluates a bootstrap with `matches` conditions, loading nothing else', async () => {
    const { answers, requested } = await run(
      pageOf('/cdn/cleave.browser.js', { sdkKey: SDK_KEY, offline: true, bootstrap: regexPayload(3) }),
    );
    expect(answers).toEqual({ status: 'ready', errors: [], staff: 'other', visitor: 'blue' });
    expect(requested.filter((path) => path.endsWith('.js'))).toEqual(['/cdn/cleave.browser.js']);
  });

  it('split as bundlers do, a configuration without `matches` never fetches the regex engine', async () => {
    expect(regexChunk).not.toBe('');
    const { answers, requested } = await run(
      pageOf('/split/entry.js', { sdkKey: SDK_KEY, offline: true, bootstrap: payloadOf(3) }),
    );
    expect(answers).toEqual({ status: 'ready', errors: [], staff: 'blue', visitor: 'blue' });
    expect(requested).toContain('/split/entry.js');
    expect(requested).not.toContain(`/split/${regexChunk}`);
  });

  it('split as bundlers do, a bootstrap with `matches` waits for the engine, then evaluates it', async () => {
    const { answers, requested } = await run(
      pageOf('/split/entry.js', { sdkKey: SDK_KEY, offline: true, bootstrap: regexPayload(3) }),
    );
    expect(answers).toEqual({ status: 'ready', errors: [], staff: 'other', visitor: 'blue' });
    expect(requested).toContain(`/split/${regexChunk}`);
  });

  it('split as bundlers do, a fetched configuration with `matches` loads the engine before it is applied', async () => {
    servedConfig = regexPayload(5);
    const { answers, requested } = await run(
      pageOf('/split/entry.js', { sdkKey: SDK_KEY, streaming: false, events: { enabled: false } }),
    );
    expect(answers).toEqual({ status: 'ready', errors: [], staff: 'other', visitor: 'blue' });
    expect(requested).toEqual(expect.arrayContaining(['/api/v1/sdk/config', `/split/${regexChunk}`]));
  });

  it('split as bundlers do, an engine that fails to load is reported and the configuration not used', async () => {
    failRegexChunk = 1;
    const { answers } = await run(
      pageOf('/split/entry.js', { sdkKey: SDK_KEY, offline: true, bootstrap: regexPayload(3) }),
    );
    expect(answers).toEqual({
      status: 'failed',
      errors: ['config_fetch_failed'],
      staff: 'none',
      visitor: 'none',
    });
  });
});
