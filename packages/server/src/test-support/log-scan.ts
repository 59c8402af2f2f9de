/**
 * @module test-support/log-scan
 * The log scan over a whole test run: every server a test starts writes its log lines to the run's
 * log folder (child processes through `CLEAVE_LOG_COPY_FILE`, in-process apps through their
 * logger), every secret a test creates or uses is recorded beside them, and at the end of the run
 * (vitest's global teardown, log-scan-setup.ts) no recorded secret may appear in any log line.
 */
import {
  appendFileSync,
  closeSync,
  existsSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
} from 'node:fs';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';

/** The run's log folder; set by the global setup, inherited by every test worker. */
export const LOG_DIR_VARIABLE = 'CLEAVE_TEST_LOG_DIR';
const SECRETS_FILE = 'secrets.jsonl';
/** Shorter values (a variant key, a port) would match by chance; every real secret is longer. */
const MIN_SECRET_LENGTH = 8;

function logDirectory(): string | undefined {
  return process.env[LOG_DIR_VARIABLE] || undefined;
}

/** The file a server started now should append its log lines to, if the run scans logs. */
export function serverLogFile(kind: 'process' | 'in-process'): string | undefined {
  const directory = logDirectory();
  return directory && path.join(directory, `${kind}-${process.pid}.log`);
}

/** Remembers a secret for the end-of-run scan (no-op outside a scanning run). */
export function recordSecret(value: unknown): void {
  const directory = logDirectory();
  if (!directory || typeof value !== 'string' || value.length < MIN_SECRET_LENGTH) return;
  appendFileSync(path.join(directory, SECRETS_FILE), `${JSON.stringify(value)}\n`);
}

/** Records the values of variables that carry credentials in a server's environment. */
export function recordEnvironmentSecrets(env: Record<string, string | undefined>): void {
  for (const [name, value] of Object.entries(env)) {
    if (/(PASSWORD|TOKEN|SECRET|_KEY|SETUP_CODE)$/.test(name)) recordSecret(value);
    if (/_URL$/.test(name) && value) {
      try {
        recordSecret(decodeURIComponent(new URL(value).password));
      } catch {
        // Not a URL: nothing to record.
      }
    }
  }
}

export interface Leak {
  file: string;
  secret: string;
  line: string;
}

export interface ScanReport {
  files: number;
  lines: number;
  secrets: number;
  leaks: Leak[];
}

/**
 * Every log line of the folder checked against every recorded secret. Secrets made of token
 * characters (keys, codes, session tokens) are looked up among each line's tokens, which keeps the
 * scan linear; others (passwords with spaces) are searched for as substrings.
 */
export function scanLogs(directory: string): ScanReport {
  const secretsPath = path.join(directory, SECRETS_FILE);
  const secrets = existsSync(secretsPath)
    ? [
        ...new Set(
          readFileSync(secretsPath, 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((line) => JSON.parse(line) as string),
        ),
      ]
    : [];
  const tokenLike = new Set(secrets.filter((secret) => /^[A-Za-z0-9_-]+$/.test(secret)));
  const others = secrets.filter((secret) => !tokenLike.has(secret));
  const report: ScanReport = { files: 0, lines: 0, secrets: secrets.length, leaks: [] };
  for (const file of readdirSync(directory).filter((name) => name.endsWith('.log'))) {
    report.files += 1;
    forEachLine(path.join(directory, file), (line) => {
      if (line === '') return;
      report.lines += 1;
      for (const token of line.split(/[^A-Za-z0-9_-]+/)) {
        if (tokenLike.has(token)) report.leaks.push({ file, secret: token, line });
      }
      for (const secret of others) {
        if (line.includes(secret)) report.leaks.push({ file, secret, line });
      }
    });
  }
  return report;
}

/**
 * A file's lines, read in chunks: a long fuzz run logs more than one string can hold (512 MiB).
 * The decoder keeps a character split across two chunks whole.
 */
function forEachLine(file: string, visit: (line: string) => void): void {
  const descriptor = openSync(file, 'r');
  try {
    const chunk = Buffer.alloc(8 * 1024 * 1024);
    const decoder = new StringDecoder('utf8');
    let rest = '';
    for (;;) {
      const read = readSync(descriptor, chunk, 0, chunk.length, null);
      if (read === 0) break;
      const lines = (rest + decoder.write(chunk.subarray(0, read))).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) visit(line);
    }
    visit(rest + decoder.end());
  } finally {
    closeSync(descriptor);
  }
}
