import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { BROWSER_BUILD } from '../scripts/build-browser.js';
import { bundleSdk } from '../scripts/bundle-sdk.js';
import { payloadOf } from './test-support/payloads.js';

const directory = mkdtempSync(path.join(tmpdir(), 'cleave-browser-build-'));

afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

describe('the single-file browser module (dist/cleave.browser.js)', () => {
  it('is self-contained: no import of any other module', async () => {
    const { code, metafile } = await bundleSdk(BROWSER_BUILD);
    const output = Object.values(metafile.outputs)[0];
    expect(output?.imports).toEqual([]);
    expect(code).not.toMatch(/\bimport\s*[({"'`]|\bfrom\s*["'`]/);
  });

  it('loads as an ES module and evaluates a bootstrap payload like the package does', async () => {
    const { code } = await bundleSdk(BROWSER_BUILD);
    const file = path.join(directory, 'cleave.browser.js');
    writeFileSync(file, code);
    const sdk = (await import(pathToFileURL(file).href)) as typeof import('./index.js');
    const client = sdk.createClient({ sdkKey: 'sdk-key', offline: true, bootstrap: payloadOf(3) });
    expect(await client.ready()).toBe('ready');
    expect(client.getStringValue('button-color', 'none', { targetingKey: 'u1' })).toBe('blue');
    expect(sdk.SDK_NAME).toBe('cleave-js');
    await client.close();
  });
});
