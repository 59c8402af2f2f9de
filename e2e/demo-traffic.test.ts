import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ServerProcess, startMain } from '@cleave/server/tooling';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** Runs `npm run demo:traffic`'s command (without npm, so the signal reaches the script itself). */
function runTraffic(env: Record<string, string>): {
  child: ChildProcess;
  output: () => string;
  exit: Promise<number | null>;
} {
  const child = spawn(process.execPath, ['--import', 'tsx', 'tools/demo-traffic.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', TSX_TSCONFIG_PATH: 'tsconfig.tests.json', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const exit = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { child, output: () => output, exit };
}

describe('npm run demo:traffic', () => {
  let directory: string;
  let server: ServerProcess;

  beforeAll(async () => {
    directory = mkdtempSync(path.join(tmpdir(), 'cleave-demo-traffic-'));
    server = await startMain({ CLEAVE_DEMO: 'on' }, directory);
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    if (directory) rmSync(directory, { recursive: true, force: true });
  });

  it('sends visitors through the SDK with the key the demo wrote, until Ctrl-C', async () => {
    const traffic = runTraffic({
      CLEAVE_URL: server.url,
      CLEAVE_DATA_DIR: path.join(directory, '.cleave'),
      DEMO_VISITORS_PER_SECOND: '100',
    });
    await expect.poll(traffic.output, { timeout: 15_000 }).toContain('Ctrl-C stops');
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    traffic.child.kill('SIGINT');
    expect(await traffic.exit).toBe(0);

    const database = new Database(path.join(directory, '.cleave', 'cleave.db'), { readonly: true });
    try {
      const rows = database
        .prepare(
          `select type, experiment, count(*) as count from events where unit_id like 'live-%' group by type, experiment`,
        )
        .all() as { type: string; experiment: string | null; count: number }[];
      const count = (type: string, experiment: string | null) =>
        rows.find((row) => row.type === type && row.experiment === experiment)?.count ?? 0;
      // Every visitor is exposed to both experiments; the SDK sent what it held before exiting.
      expect(count('exposure', 'one-page-checkout')).toBeGreaterThan(50);
      expect(count('exposure', 'homepage-hero-aa')).toBe(count('exposure', 'one-page-checkout'));
    } finally {
      database.close();
    }
  }, 40_000);

  it('says what to do when there is no demo key', async () => {
    const traffic = runTraffic({ CLEAVE_URL: server.url, CLEAVE_DATA_DIR: path.join(directory, 'nowhere') });
    expect(await traffic.exit).toBe(1);
    expect(traffic.output()).toContain('No demo key');
  }, 20_000);
});
