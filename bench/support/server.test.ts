import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SERVER_MAIN, startServer, urlFromLog } from './server.js';
import { createTempDir } from './services.js';

describe('urlFromLog', () => {
  it('reads the URL from the start-up log line, pinned to the IPv4 loopback', () => {
    const line =
      '{"level":30,"url":"http://localhost:41234","msg":"Cleave is running at http://localhost:41234"}';
    expect(urlFromLog(`{"msg":"database ready"}\n${line}\n`)).toBe('http://127.0.0.1:41234');
    expect(urlFromLog('{"msg":"database ready"}\n')).toBeUndefined();
  });
});

// The benchmarks run the built server; without a build (plain `npm test`) there is nothing to run.
describe.skipIf(!existsSync(SERVER_MAIN))('startServer (built server)', () => {
  it('starts on a free port, serves, and stops cleanly on SIGTERM', async () => {
    const dataDir = createTempDir('cleave-bench-support-test');
    try {
      const server = await startServer({ name: 'support-test', env: { CLEAVE_DATA_DIR: dataDir.path } });
      try {
        expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
        const response = await fetch(`${server.url}/healthz`);
        expect(response.status).toBe(200);
      } finally {
        expect(await server.stop()).toBe(0);
      }
      // Stopping again is harmless.
      expect(await server.stop()).toBe(0);
    } finally {
      dataDir.remove();
    }
  });

  it('rejects with the server’s output when it cannot start', async () => {
    await expect(startServer({ name: 'support-test-bad', env: { PORT: 'abc' } })).rejects.toThrow(
      /PORT must be an integer/,
    );
  });
});
