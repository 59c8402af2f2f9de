import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  LOG_DIR_VARIABLE,
  recordEnvironmentSecrets,
  recordSecret,
  scanLogs,
  serverLogFile,
} from './log-scan.js';

describe('the log scan over a test run', () => {
  const original = process.env[LOG_DIR_VARIABLE];
  let directory: string | undefined;
  const useFolder = () => {
    const created = mkdtempSync(path.join(tmpdir(), 'cleave-log-scan-test-'));
    directory = created;
    process.env[LOG_DIR_VARIABLE] = created;
    return created;
  };
  afterEach(() => {
    process.env[LOG_DIR_VARIABLE] = original;
    if (directory) rmSync(directory, { recursive: true, force: true });
    directory = undefined;
  });

  it('runs inside a scanning run: the global setup gave this worker a log folder', () => {
    expect(original).toBeTruthy();
    expect(serverLogFile('process')).toContain(original);
  });

  it('finds a recorded key, session token or password in any log line, and nothing else', () => {
    const directory = useFolder();
    recordSecret('clv_sdk_0123456789abcdefghij');
    recordSecret('correct horse battery staple');
    recordEnvironmentSecrets({
      CLEAVE_INIT_ADMIN_PASSWORD: 'provisioned-password',
      DATABASE_URL: 'postgres://cleave:url%20password@db/cleave',
      PORT: '8080',
    });
    recordSecret('short');
    const log = serverLogFile('in-process') as string;
    const clean = [
      '{"msg":"incoming request","url":"/api/v1/sdk/stream?key=[redacted]"}',
      // A longer token that merely contains a key is not that key.
      '{"msg":"x","id":"clv_sdk_0123456789abcdefghijKLM"}',
      '{"msg":"short answer"}',
    ];
    writeFileSync(log, `${clean.join('\n')}\n`);
    expect(scanLogs(directory)).toMatchObject({ files: 1, lines: 3, secrets: 4, leaks: [] });

    appendFileSync(
      log,
      '{"msg":"incoming request","url":"/api/v1/sdk/stream?key=clv_sdk_0123456789abcdefghij"}\n',
    );
    appendFileSync(log, '{"msg":"login","body":{"password":"correct horse battery staple"}}\n');
    writeFileSync(path.join(directory, 'process-1.log'), '{"msg":"provisioned-password url password"}\n');
    const report = scanLogs(directory);
    expect(report.leaks.map((leak) => leak.secret).sort()).toEqual(
      [
        'clv_sdk_0123456789abcdefghij',
        'correct horse battery staple',
        'provisioned-password',
        'url password',
      ].sort(),
    );
  });

  it('reads a log in chunks: a secret or a character across a chunk boundary is still whole', () => {
    const directory = useFolder();
    recordSecret('clv_server_chunkboundary0123456789');
    const log = serverLogFile('in-process') as string;
    // The scan reads 8 MiB at a time; this line starts just before the first boundary.
    const filler = `${'{"msg":"é"}\n'.repeat(Math.floor((8 * 1024 * 1024 - 40) / 13))}`;
    writeFileSync(log, `${filler}{"msg":"é","key":"clv_server_chunkboundary0123456789"}\n{"msg":"last"}`);
    const report = scanLogs(directory);
    expect(report.leaks.map((leak) => leak.line)).toEqual([
      '{"msg":"é","key":"clv_server_chunkboundary0123456789"}',
    ]);
    expect(report.lines).toBe(Math.floor((8 * 1024 * 1024 - 40) / 13) + 2);
  });

  it('records nothing outside a scanning run', () => {
    const directory = useFolder();
    delete process.env[LOG_DIR_VARIABLE];
    recordSecret('clv_sdk_0123456789abcdefghij');
    expect(serverLogFile('process')).toBeUndefined();
    process.env[LOG_DIR_VARIABLE] = directory;
    expect(scanLogs(directory).secrets).toBe(0);
  });
});
