/**
 * @module test-support/postgres-server
 * A throwaway PostgreSQL 15 cluster on a free loopback port for fault tests (never the shared
 * one): `initdb` into a temp directory, then `pg_ctl` to stop it the hard way (`-m immediate`, as
 * after a crash: recovery replays the WAL on the next start) and start it again on the same port.
 * PostgreSQL refuses to run as root, so as root the binaries run as the `postgres` user.
 */
import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './ports.js';

const run = promisify(execFile);
const BIN = ['/usr/lib/postgresql/15/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/17/bin'].find(
  (candidate) => existsSync(path.join(candidate, 'pg_ctl')),
);

export interface PostgresServer {
  /** A URL of its `postgres` database (trust authentication, user postgres). */
  url: string;
  /** `pg_ctl stop -m immediate`: connections drop at once, no shutdown checkpoint. */
  crash(): Promise<void>;
  start(): Promise<void>;
  /** Stops it and removes its directory. */
  destroy(): Promise<void>;
}

async function asPostgres(binary: string, args: string[]): Promise<void> {
  const command = path.join(BIN as string, binary);
  if (userInfo().uid === 0)
    await run('runuser', ['-u', 'postgres', '--', command, ...args], { timeout: 60_000 });
  else await run(command, args, { timeout: 60_000 });
}

export async function startPostgresServer(): Promise<PostgresServer> {
  if (!BIN) throw new Error('PostgreSQL server binaries not found (apt-get install postgresql)');
  const directory = mkdtempSync(path.join(tmpdir(), 'cleave-postgres-'));
  if (userInfo().uid === 0) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: group } = await run('id', ['-g', 'postgres']);
    chownSync(directory, Number(stdout.trim()), Number(group.trim()));
  }
  const data = path.join(directory, 'data');
  const port = await freePort();
  await asPostgres('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const options = `-p ${port} -k ${directory} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50`;
  const start = () =>
    asPostgres('pg_ctl', [
      '-D',
      data,
      '-o',
      options,
      '-w',
      '-t',
      '60',
      '-l',
      path.join(directory, 'log'),
      'start',
    ]);
  const stop = (mode: string) => asPostgres('pg_ctl', ['-D', data, '-m', mode, '-w', 'stop']);
  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    crash: () => stop('immediate'),
    start,
    async destroy() {
      await stop('immediate').catch(() => {});
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
