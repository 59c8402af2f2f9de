import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleSdk } from '../scripts/bundle-sdk.js';
import { ContractServer, TEST_SDK_KEY } from './test-support/contract-server.js';
import { payloadOf } from './test-support/payloads.js';

/**
 * Issue #11 item 14: with `streaming: false` a short Node script that only awaits `ready()` must
 * not exit before it settles. The SDK's timers are unref'd on purpose, so the first poll has to
 * start at once (its socket then keeps the process alive). Run in real child processes, many
 * times, because the failure was a race (about 1 run in 10).
 */
describe('a polling client in a short Node script', () => {
  let server: ContractServer;
  let directory: string;
  let script: string;

  beforeAll(async () => {
    server = await ContractServer.start(payloadOf(1));
    directory = mkdtempSync(path.join(tmpdir(), 'cleave-polling-'));
    const { code } = await bundleSdk({ entry: { file: 'packages/sdk/src/index.ts' }, platform: 'node' });
    writeFileSync(path.join(directory, 'sdk.mjs'), code);
    script = path.join(directory, 'script.mjs');
    writeFileSync(
      script,
      [
        "import { createClient } from './sdk.mjs';",
        `const client = createClient({ sdkKey: ${JSON.stringify(TEST_SDK_KEY)}, apiHost: ${JSON.stringify(server.url)}, streaming: false });`,
        'const status = await client.ready();',
        "console.log(status, client.getStringValue('button-color', 'default'));",
      ].join('\n'),
    );
  });

  afterAll(async () => {
    await server?.stop();
    if (directory) rmSync(directory, { recursive: true, force: true });
  });

  const run = () =>
    new Promise<{ code: number | null; stdout: string }>((resolve) => {
      const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'inherit'] });
      let stdout = '';
      child.stdout.on('data', (chunk) => {
        stdout += chunk;
      });
      child.on('exit', (code) => resolve({ code, stdout }));
    });

  it('always settles ready() and prints the flag value before exiting (20 runs)', async () => {
    const outcomes: { code: number | null; stdout: string }[] = [];
    // Two at a time: the machine has two cores, and a race shows better under some load.
    for (let round = 0; round < 10; round++) outcomes.push(...(await Promise.all([run(), run()])));
    expect(outcomes).toEqual(Array.from({ length: 20 }, () => ({ code: 0, stdout: 'ready blue\n' })));
  }, 60_000);
});
