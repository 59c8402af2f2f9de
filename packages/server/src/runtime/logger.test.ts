import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test-support/test-app.js';
import { redactUrlSecrets } from './logger.js';

describe('redactUrlSecrets', () => {
  it.each([
    ['/api/v1/sdk/stream?key=clv_server_abc', '/api/v1/sdk/stream?key=[redacted]'],
    ['/x?a=1&KEY=clv_admin_abc&b=2', '/x?a=1&KEY=[redacted]&b=2'],
    [
      '/x?token=t&api_key=k&password=p&secret=s',
      '/x?token=[redacted]&api_key=[redacted]&password=[redacted]&secret=[redacted]',
    ],
    ['/x?%6Bey=clv_sdk_abc', '/x?%6Bey=[redacted]'],
    ['/x?keyboard=1&monkey=2', '/x?keyboard=1&monkey=2'],
    ['/x?key', '/x?key'],
    ['/x', '/x'],
  ])('%s → %s', (url, expected) => {
    expect(redactUrlSecrets(url)).toBe(expected);
  });
});

describe('request logs', () => {
  let test: TestApp;
  const lines: string[] = [];
  beforeAll(async () => {
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(...String(chunk).split('\n').filter(Boolean));
        done();
      },
    });
    test = await createTestApp('sqlite', { logger: pino({ level: 'info' }, sink) });
  });
  afterAll(async () => {
    await test?.close();
  });

  it('never hold a key sent in the query string, whatever its kind', async () => {
    const secrets = [
      `clv_server_${'S'.repeat(40)}`,
      `clv_admin_${'A'.repeat(40)}`,
      `clv_sdk_${'K'.repeat(40)}`,
    ];
    for (const secret of secrets) {
      const response = await test.request({ method: 'GET', url: `/api/v1/sdk/stream?key=${secret}&probe=1` });
      expect(response.statusCode).toBe(401);
    }
    const logged = lines.join('\n');
    expect(logged).toContain('/api/v1/sdk/stream?key=[redacted]&probe=1');
    for (const secret of secrets) expect(logged).not.toContain(secret.slice(0, 20));
  });
});
