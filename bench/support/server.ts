/**
 * @module Runs the built server (`packages/server/dist/main.js`, so `npm run build` first) as a
 * child process for end-to-end benchmarks: spawn with an environment, wait for the JSON log line
 * carrying `"url"`, stop with SIGTERM (SIGKILL if it does not exit in time).
 *
 * The child's stdout and stderr go to a log file, not a pipe: at the default log level the server
 * writes two lines per request, and a pipe would make the benchmark process read them while it is
 * generating load on the same cores.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SERVER_MAIN = fileURLToPath(new URL('../../packages/server/dist/main.js', import.meta.url));

export interface StartOptions {
  /** Shown in errors and used in the log file's name. */
  readonly name: string;
  /** The server's environment; PORT=0 and HOST=127.0.0.1 unless given. Nothing else is inherited but PATH. */
  readonly env: Readonly<Record<string, string>>;
  readonly timeoutMs?: number;
  /** Extra Node options before the script, e.g. `['--cpu-prof', '--cpu-prof-dir=/tmp/profiles']`. */
  readonly nodeArgs?: readonly string[];
}

export interface BenchServer {
  readonly name: string;
  /** e.g. http://127.0.0.1:41234 */
  readonly url: string;
  readonly pid: number;
  /** Everything the process printed so far. */
  output(): string;
  /** CPU time (user + system) the process used so far, in ms; undefined where /proc is missing. */
  cpuMs(): number | undefined;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code. Idempotent. */
  stop(graceMs?: number): Promise<number | null>;
}

const running = new Set<ChildProcess>();
// A last resort when the benchmark process exits without stopping its servers (a crash).
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** The URL in the server's start-up log line, with `localhost` pinned to the IPv4 loopback it binds. */
export function urlFromLog(output: string): string | undefined {
  const match = /"url":"(http:\/\/[^"]+)"/.exec(output);
  return match?.[1]?.replace('//localhost:', '//127.0.0.1:');
}

function readLog(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** utime + stime of a process from /proc/<pid>/stat (Linux; clock ticks of 10 ms, as USER_HZ is 100). */
export function processCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? ticks * 10 : undefined;
  } catch {
    return undefined;
  }
}

function tail(text: string, lines = 20): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/**
 * Starts the server and resolves once it logged its URL.
 * @throws when the build is missing, the process exits first, or `timeoutMs` passes.
 */
export async function startServer(options: StartOptions): Promise<BenchServer> {
  if (!existsSync(SERVER_MAIN)) throw new Error(`${SERVER_MAIN} is missing: run \`npm run build\` first`);
  const logFile = join(
    tmpdir(),
    `cleave-bench-${options.name}-${process.pid}-${Math.random().toString(36).slice(2, 8)}.log`,
  );
  const fd = openSync(logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(process.execPath, [...(options.nodeArgs ?? []), SERVER_MAIN], {
      env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', ...options.env },
      stdio: ['ignore', fd, fd],
    });
  } finally {
    closeSync(fd);
  }
  running.add(child);
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      running.delete(child);
      resolve(code);
    });
  });
  let stopping: Promise<number | null> | undefined;
  const stop = (graceMs = 15_000): Promise<number | null> => {
    stopping ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        const code = await exited;
        clearTimeout(killer);
        rmSync(logFile, { force: true });
        return code;
      }
      rmSync(logFile, { force: true });
      return child.exitCode;
    })();
    return stopping;
  };

  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  let hasExited = false;
  void exited.then(() => {
    hasExited = true;
  });
  for (;;) {
    const output = readLog(logFile);
    const url = urlFromLog(output);
    if (url !== undefined) {
      return {
        name: options.name,
        url,
        pid: child.pid ?? -1,
        output: () => readLog(logFile),
        cpuMs: () => processCpuMs(child.pid),
        stop,
      };
    }
    if (hasExited || Date.now() > deadline) {
      const why = hasExited ? `exited with ${child.exitCode ?? child.signalCode}` : 'did not start in time';
      const finalOutput = readLog(logFile);
      await stop(2_000);
      throw new Error(`server ${options.name} ${why}; its output:\n${tail(finalOutput)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Stops every server given (in parallel), never throwing; for `finally` blocks. */
export async function stopAll(servers: readonly (BenchServer | undefined)[]): Promise<void> {
  await Promise.all(servers.map((server) => server?.stop().catch(() => null)));
}
