/**
 * @module test-support/redis-server
 * A throwaway `redis-server` on a free loopback port for fault tests (never the shared one): no
 * persistence, killable with SIGKILL and restartable on the same port, as after a crash.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { freePort, waitForPort } from './ports.js';

const BINARY = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((candidate) =>
  existsSync(candidate),
);

export interface RedisServer {
  url: string;
  /** SIGKILL, resolved once the process is gone. */
  kill(): Promise<void>;
  /** Starts it again on the same port (empty: no persistence). */
  start(): Promise<void>;
}

export async function startRedisServer(): Promise<RedisServer> {
  if (!BINARY) throw new Error('redis-server is not installed (apt-get install redis-server)');
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn(
      BINARY,
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    await waitForPort(port, 15_000, 'redis-server');
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    start,
    async kill() {
      const running = child;
      if (!running || running.exitCode !== null) return;
      const exited = new Promise((resolve) => running.once('exit', resolve));
      running.kill('SIGKILL');
      await exited;
      child = undefined;
    },
  };
}
