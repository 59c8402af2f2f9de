/**
 * @module The SDK as one ES module for `<script type="module">` without a bundler (served from
 * a CDN or the application's own host): `dist/cleave.browser.js`, with `@cleave/core`'s
 * evaluation inlined and nothing else to load. Run by the repository's `npm run build`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type BundleOptions, bundleSdk } from './bundle-sdk.js';

export const BROWSER_FILE = fileURLToPath(new URL('../dist/cleave.browser.js', import.meta.url));

/** The settings of that file: the whole public entry, minified, for browsers. */
export const BROWSER_BUILD: BundleOptions = {
  entry: { file: 'packages/sdk/src/index.ts' },
  platform: 'browser',
  minify: true,
};

/** @example await buildBrowserModule(); // writes dist/cleave.browser.js */
export async function buildBrowserModule(): Promise<string> {
  const { code } = await bundleSdk(BROWSER_BUILD);
  mkdirSync(fileURLToPath(new URL('../dist/', import.meta.url)), { recursive: true });
  writeFileSync(BROWSER_FILE, code);
  return BROWSER_FILE;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const file = await buildBrowserModule();
  console.log(`wrote ${file}`);
}
