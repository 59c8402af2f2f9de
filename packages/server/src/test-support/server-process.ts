/**
 * @module test-support/server-process
 * Runs the real `main.ts` in a child process (through tsx, so no build is needed) and waits for it
 * to announce its URL: tests of start-up, configuration errors and graceful shutdown.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { recordEnvironmentSecrets, serverLogFile } from './log-scan.js';

const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));
const REPOSITORY_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
// Absolute, so the child can run in any working directory (a fresh temp dir for start-up tests).
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  output(): string;
  /** Sends a signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface ExitedProcess {
  code: number | null;
  stdout: string;
  stderr: string;
}

function spawnMain(env: Record<string, string>, cwd: string): ChildProcess {
  // In a run that scans logs, the server's lines also go to the run's folder (log-scan.ts).
  recordEnvironmentSecrets(env);
  const logCopy = serverLogFile('process');
  return spawn(process.execPath, ['--import', TSX_LOADER, MAIN], {
    cwd,
    // A clean environment: only what the test names, plus what Node needs to run.
    // The demo project stays out of tests' fresh stores unless a test asks for it.
    env: {
      PATH: process.env.PATH ?? '',
      CLEAVE_DEMO: 'off',
      ...(logCopy && { CLEAVE_LOG_COPY_FILE: logCopy }),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export function runMainToExit(
  env: Record<string, string>,
  cwd = REPOSITORY_ROOT,
  timeoutMs = 20_000,
): Promise<ExitedProcess> {
  const child = spawnMain(env, cwd);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`process did not exit within ${timeoutMs} ms; output:\n${stdout}${stderr}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export function startMain(
  env: Record<string, string>,
  cwd = REPOSITORY_ROOT,
  timeoutMs = 30_000,
): Promise<ServerProcess> {
  const child = spawnMain({ PORT: '0', HOST: '127.0.0.1', ...env }, cwd);
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start within ${timeoutMs} ms; output:\n${output}`));
    }, timeoutMs);
    const exited = new Promise<number | null>((resolveExit) => child.on('exit', resolveExit));
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /"url":"(http:\/\/[^"]+)"/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve({
          child,
          url: match[1],
          output: () => output,
          async stop(signal: NodeJS.Signals = 'SIGTERM') {
            if (child.exitCode === null) child.kill(signal);
            return exited;
          },
        });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before starting; output:\n${output}`));
    });
  });
}
