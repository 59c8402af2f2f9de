/**
 * @module test-support/log-scan-setup
 * Vitest's global setup: gives the run a log folder (test workers inherit it through the
 * environment), and at the end scans it (log-scan.ts). A secret in any log line fails the run; the
 * folder is kept then, for the leaking lines to be read.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LOG_DIR_VARIABLE, scanLogs } from './log-scan.js';

export function setup(): () => void {
  const directory = mkdtempSync(path.join(tmpdir(), 'cleave-test-logs-'));
  process.env[LOG_DIR_VARIABLE] = directory;
  return () => {
    const report = scanLogs(directory);
    if (report.leaks.length > 0) {
      const shown = report.leaks
        .slice(0, 5)
        .map((leak) => `  ${leak.file}: ${leak.line.slice(0, 300)}`)
        .join('\n');
      // Vitest reports an error thrown here but still exits 0: the exit code is set explicitly.
      process.exitCode = 1;
      throw new Error(
        `Log scan: ${report.leaks.length} log line(s) hold a secret a test used (${report.secrets} secrets checked in ${report.lines} lines; logs kept in ${directory}):\n${shown}`,
      );
    }
    console.info(
      `Log scan: ${report.lines} log lines from ${report.files} files hold none of the ${report.secrets} secrets the tests used.`,
    );
    rmSync(directory, { recursive: true, force: true });
  };
}
