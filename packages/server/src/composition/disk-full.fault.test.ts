import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readdirSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startMain } from '../test-support/server-process.js';

/**
 * The embedded store's disk fills up (a tmpfs of 8 MiB): writes answer 503 with Retry-After (never
 * 500, never 202 for what was not stored), nothing acknowledged is lost, and writes work again once
 * space returns. Mounting needs root (or CAP_SYS_ADMIN); without it the file is skipped, saying so.
 */

const SDK_KEY = `clv_sdk_${'D'.repeat(40)}`;
const ADMIN_TOKEN = `clv_admin_${'D'.repeat(40)}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function mountSmallDisk(): string | undefined {
  const directory = mkdtempSync(path.join(tmpdir(), 'cleave-disk-full-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', directory], { stdio: 'pipe' });
    return directory;
  } catch (error) {
    rmSync(directory, { recursive: true, force: true });
    console.warn(`disk-full test skipped: cannot mount a tmpfs (${(error as Error).message.split('\n')[0]})`);
    return undefined;
  }
}

/** Writes zeros until the filesystem refuses: the disk is now full. */
function fill(file: string): number {
  const chunk = Buffer.alloc(64 * 1024);
  const fd = openSync(file, 'w');
  let written = 0;
  try {
    for (;;) written += writeSync(fd, chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
  return written;
}

const disk = mountSmallDisk();

describe.skipIf(!disk)('disk full on the embedded store (SQLite on an 8 MiB tmpfs)', () => {
  const directory = disk as string;
  let server: ServerProcess | undefined;

  beforeAll(async () => {
    server = await startMain(
      { CLEAVE_DATA_DIR: directory, CLEAVE_INIT_SDK_KEY: SDK_KEY, CLEAVE_INIT_ADMIN_TOKEN: ADMIN_TOKEN },
      tmpdir(),
      60_000,
    );
  }, 90_000);

  afterAll(async () => {
    await server?.stop('SIGKILL');
    try {
      execFileSync('umount', [directory], { stdio: 'pipe' });
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  }, 30_000);

  it('answers 503 with Retry-After while full, loses nothing acknowledged, recovers when space returns', async () => {
    const accepted = new Set<string>();
    const statuses = new Map<number, number>();
    const send = async () => {
      const batch = Array.from({ length: 100 }, (_, index) => ({
        id: randomUUID(),
        type: 'track',
        unitId: `u-${index}`,
        event: 'purchase',
        value: index,
        properties: { note: 'x'.repeat(400) },
        timestamp: new Date().toISOString(),
      }));
      const response = await fetch(`${server?.url}/api/v1/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${SDK_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ events: batch }),
      });
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      if (response.status === 202) for (const event of batch) accepted.add(event.id);
      else if (response.status === 503) expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
      await response.body?.cancel();
      return response.status;
    };
    const createFlag = async (key: string) => {
      const response = await fetch(`${server?.url}/api/v1/projects/default/flags`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          key,
          name: 'y'.repeat(200),
          description: 'z'.repeat(2_000),
          type: 'boolean',
          variants: [
            { key: 'on', value: true },
            { key: 'off', value: false },
          ],
          defaultVariant: 'on',
          offVariant: 'off',
        }),
      });
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      if (response.status === 503) expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
      await response.body?.cancel();
      return response.status;
    };

    const first = await fetch(`${server?.url}/api/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SDK_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ events: [] }),
    });
    expect(first.status, await first.text()).toBe(202);
    expect(await send()).toBe(202);
    const filler = path.join(directory, 'filler');
    fill(filler);

    // SQLite may still find room in free pages or a recycled WAL: keep writing until it cannot.
    let full = false;
    for (let attempt = 0; attempt < 500 && !full; attempt += 1) {
      full = (await send()) === 503;
    }
    expect(full).toBe(true);
    let flagRefused = false;
    for (let attempt = 0; attempt < 50 && !flagRefused; attempt += 1) {
      flagRefused = (await createFlag(`full-${attempt}`)) === 503;
    }
    expect(flagRefused, JSON.stringify(Object.fromEntries(statuses))).toBe(true);
    expect([...statuses.keys()].filter((status) => status >= 500 && status !== 503)).toEqual([]);

    unlinkSync(filler);
    let recovered = false;
    for (let attempt = 0; attempt < 60 && !recovered; attempt += 1) {
      recovered = (await send()) === 202;
      if (!recovered) await sleep(500);
    }
    expect(recovered).toBe(true);
    expect(await createFlag('after-recovery')).toBe(201);
    expect([...statuses.keys()].filter((status) => status >= 500 && status !== 503)).toEqual([]);

    // Everything acknowledged is in the database, once.
    expect(await server?.stop('SIGTERM')).toBe(0);
    server = undefined;
    const file = readdirSync(directory).find((name) => /\.(db|sqlite)$/.test(name));
    expect(file).toBeDefined();
    const database = new Database(path.join(directory, file as string), { readonly: true });
    try {
      const stored = (database.prepare('select event_id from events').all() as { event_id: string }[]).map(
        (row) => row.event_id,
      );
      expect(new Set(stored).size).toBe(stored.length);
      const storedIds = new Set(stored);
      expect([...accepted].filter((id) => !storedIds.has(id))).toEqual([]);
      console.info(
        `disk full: statuses ${JSON.stringify(Object.fromEntries(statuses))}, ${accepted.size} events accepted, ${stored.length} stored`,
      );
    } finally {
      database.close();
    }
  }, 180_000);
});
