/**
 * @module The workloads in Cleave's browser build: the SDK bundled exactly as
 * `packages/sdk/scripts/build-browser.ts` writes `dist/cleave.browser.js` (esbuild, minified, for
 * browsers, core's evaluation inlined), loaded as a module, and used as a web page would: an
 * offline client bootstrapped with the workloads' payload, `getBooleanValue(flag, false, context)`
 * per evaluation. That is the SDK's whole per-call path (context merge, type check, exposure
 * check), not only core's `evaluate`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { EvaluationContext } from '@cleave/core';
import { BROWSER_BUILD } from '../../../packages/sdk/scripts/build-browser.js';
import { bundleSdk } from '../../../packages/sdk/scripts/bundle-sdk.js';
import {
  type EvaluationHarness,
  EXPERIMENT_FLAG,
  EXPERIMENT_UNITS,
  INPUT_MASK,
  MANY_DRAWN_KEYS,
  MATCHING_UNIT,
  RULE_FLAG,
  STATIC_FLAG,
} from '../workloads.js';
import { cleavePayload, toContext } from './cleave.js';

/** What the benchmark uses of the bundle's public API. */
interface BrowserSdk {
  createClient(options: { sdkKey: string; offline: true; bootstrap: unknown }): {
    readonly status: string;
    getBooleanValue(flagKey: string, defaultValue: boolean, context?: EvaluationContext): boolean;
    close(): Promise<void>;
  };
}

/** Bundles the browser build in memory and imports it (from a temporary file: Node imports files). */
async function loadBrowserBuild(): Promise<BrowserSdk> {
  const { code } = await bundleSdk(BROWSER_BUILD);
  const directory = mkdtempSync(join(tmpdir(), 'cleave-browser-build-'));
  try {
    const file = join(directory, 'cleave.browser.js');
    writeFileSync(file, code);
    return (await import(pathToFileURL(file).href)) as BrowserSdk;
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

export async function createCleaveBrowserHarness(): Promise<EvaluationHarness> {
  const sdk = await loadBrowserBuild();
  const client = sdk.createClient({ sdkKey: 'bench', offline: true, bootstrap: cleavePayload() });
  if (client.status !== 'ready') throw new Error(`the browser build's client is ${client.status}, not ready`);
  const matching = toContext(MATCHING_UNIT);
  const units = EXPERIMENT_UNITS.map(toContext);

  return {
    name: 'cleave-browser',
    answer: (flagKey, unit) => client.getBooleanValue(flagKey, false, toContext(unit)),
    loops: {
      static(iterations) {
        let count = 0;
        for (let i = 0; i < iterations; i++)
          if (client.getBooleanValue(STATIC_FLAG, false, matching)) count++;
        return count;
      },
      rule(iterations) {
        let count = 0;
        for (let i = 0; i < iterations; i++) if (client.getBooleanValue(RULE_FLAG, false, matching)) count++;
        return count;
      },
      experiment(iterations) {
        let count = 0;
        for (let i = 0; i < iterations; i++) {
          if (client.getBooleanValue(EXPERIMENT_FLAG, false, units[i & INPUT_MASK] ?? matching)) count++;
        }
        return count;
      },
      many(iterations) {
        let count = 0;
        for (let i = 0; i < iterations; i++) {
          if (client.getBooleanValue(MANY_DRAWN_KEYS[i & INPUT_MASK] ?? '', false, matching)) count++;
        }
        return count;
      },
    },
    close() {
      void client.close();
    },
  };
}
