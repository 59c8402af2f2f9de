import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startMain } from '../../test-support/server-process.js';

const directories: string[] = [];
function freshDirectory(): string {
  const directory = mkdtempSync(path.join(tmpdir(), 'cleave-first-run-'));
  directories.push(directory);
  return directory;
}
afterAll(() => {
  for (const directory of directories) rmSync(directory, { recursive: true, force: true });
});

const ACCOUNT = { email: 'first@example.com', name: 'First', password: 'correct horse battery staple' };

function signUp(url: string, body: object): Promise<Response> {
  return fetch(`${url}/api/v1/auth/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

describe('first run of a fresh instance', () => {
  it('logs a one-time setup code, and only a sign-up presenting it becomes the owner', async () => {
    const server = await startMain({}, freshDirectory());
    try {
      const line = server
        .output()
        .split('\n')
        .filter((text) => text.trim() !== '')
        .map((text) => JSON.parse(text) as { level: number; msg: string; setupCode?: string })
        .find((entry) => entry.setupCode !== undefined);
      expect(line?.msg).toContain(line?.setupCode);
      const setupCode = line?.setupCode ?? '';
      expect(setupCode).toMatch(/^[A-Z2-9]{4}(-[A-Z2-9]{4}){4}$/);

      const withoutCode = await signUp(server.url, ACCOUNT);
      expect(withoutCode.status).toBe(403);
      const withCode = await signUp(server.url, { ...ACCOUNT, setupCode });
      expect(withCode.status).toBe(201);
      const again = await signUp(server.url, { ...ACCOUNT, email: 'second@example.com', setupCode });
      expect(again.status).toBe(403);
    } finally {
      await server.stop();
    }
  });

  it('takes the code from CLEAVE_SETUP_CODE without printing it', async () => {
    const setupCode = 'chosen-by-the-operator';
    const server = await startMain({ CLEAVE_SETUP_CODE: setupCode }, freshDirectory());
    try {
      expect(server.output()).toContain('CLEAVE_SETUP_CODE');
      expect(server.output()).not.toContain(setupCode);
      expect((await signUp(server.url, { ...ACCOUNT, setupCode })).status).toBe(201);
    } finally {
      await server.stop();
    }
  });

  it('shows no code when CLEAVE_INIT_ADMIN_* provisioned the owner', async () => {
    const server = await startMain(
      { CLEAVE_INIT_ADMIN_EMAIL: 'ops@example.com', CLEAVE_INIT_ADMIN_PASSWORD: 'a long password' },
      freshDirectory(),
    );
    try {
      expect(server.output()).not.toContain('setup code');
      expect((await signUp(server.url, { ...ACCOUNT, setupCode: 'anything-at-all' })).status).toBe(403);
    } finally {
      await server.stop();
    }
  });
});
