import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clockAt } from '../../domain/clock.js';
import { createTestDatabase, type TestDatabase } from '../../test-support/databases.js';
import { FlagUsageRecorder } from './usage-recorder.js';
import { FlagUsageStore } from './usage-store.js';

describe('recording which flags the server evaluated', () => {
  let database: TestDatabase;
  let now = new Date('2026-11-29T10:00:00.000Z');
  const clock = clockAt(() => now);

  const addEnvironment = (id: string) => {
    const at = now.toISOString();
    const row = { id, project_id: 'p1', key: id, name: id, position: 0, config_version: 0, version: 1 };
    return database.database.db
      .insertInto('environments')
      .values({ ...row, created_at: at, updated_at: at })
      .execute();
  };

  beforeEach(async () => {
    database = await createTestDatabase('sqlite');
    const at = now.toISOString();
    await database.database.db
      .insertInto('projects')
      .values({
        id: 'p1',
        key: 'shop',
        name: 'Shop',
        description: '',
        created_at: at,
        updated_at: at,
        version: 1,
      })
      .execute();
    await addEnvironment('e1');
    await addEnvironment('e2');
  });
  afterEach(async () => {
    await database.destroy();
  });

  it('records one flag at a time (OFREP single flag) in the same batch as lists of flags', async () => {
    const recorder = new FlagUsageRecorder(new FlagUsageStore(database.database.db), clock, {
      flushMs: 60_000,
    });
    recorder.seenOne('p1', 'e1', 'checkout');
    now = new Date('2026-11-29T12:00:00.000Z');
    recorder.seen('p1', 'e1', ['banner']);
    recorder.seenOne('p1', 'e2', 'banner');
    expect((await recorder.lastEvaluated('e1')).size).toBe(0);
    await recorder.flush();
    expect(Object.fromEntries(await recorder.lastEvaluated('e1'))).toEqual({
      checkout: '2026-11-29T10:00:00.000Z',
      banner: '2026-11-29T12:00:00.000Z',
    });
    expect(Object.fromEntries(await recorder.lastEvaluated('e2'))).toEqual({
      banner: '2026-11-29T12:00:00.000Z',
    });
    now = new Date('2026-11-29T10:00:00.000Z');
  });

  it('writes the latest time per environment and flag in one batch, and never moves a time back', async () => {
    const store = new FlagUsageStore(database.database.db);
    const recorder = new FlagUsageRecorder(store, clock, { flushMs: 60_000 });
    recorder.seen('p1', 'e1', ['checkout', 'banner']);
    now = new Date('2026-11-29T11:00:00.000Z');
    recorder.seen('p1', 'e1', ['checkout']);
    recorder.seen('p1', 'e2', ['checkout']);
    // Nothing is written before the flush.
    expect((await recorder.lastEvaluated('e1')).size).toBe(0);
    await recorder.flush();
    expect(Object.fromEntries(await recorder.lastEvaluated('e1'))).toEqual({
      checkout: '2026-11-29T11:00:00.000Z',
      banner: '2026-11-29T10:00:00.000Z',
    });
    expect([...(await recorder.lastEvaluated('e2')).keys()]).toEqual(['checkout']);

    // Another node flushing an older time later changes nothing.
    await store.record([
      { projectId: 'p1', environmentId: 'e1', flagKey: 'checkout', evaluatedAt: '2026-11-29T09:00:00.000Z' },
    ]);
    expect((await recorder.lastEvaluated('e1')).get('checkout')).toBe('2026-11-29T11:00:00.000Z');
  });

  it('holds at most maxPending pairs until the next flush', async () => {
    const recorder = new FlagUsageRecorder(new FlagUsageStore(database.database.db), clock, {
      flushMs: 60_000,
      maxPending: 2,
    });
    recorder.seen('p1', 'e1', ['a', 'b', 'c']);
    await recorder.flush();
    expect([...(await recorder.lastEvaluated('e1')).keys()].sort()).toEqual(['a', 'b']);
    recorder.seen('p1', 'e1', ['c']);
    await recorder.flush();
    expect((await recorder.lastEvaluated('e1')).has('c')).toBe(true);
  });

  it('keeps a batch that failed to write for the next flush', async () => {
    const recorder = new FlagUsageRecorder(new FlagUsageStore(database.database.db), clock, {
      flushMs: 60_000,
    });
    // An environment that does not exist breaks the foreign key, as a lost database would the write.
    recorder.seen('p1', 'missing', ['checkout']);
    await expect(recorder.flush()).rejects.toThrow();
    await addEnvironment('missing');
    await recorder.flush();
    expect((await recorder.lastEvaluated('missing')).has('checkout')).toBe(true);
  });

  it('writes on its own after flushMs', async () => {
    const recorder = new FlagUsageRecorder(new FlagUsageStore(database.database.db), clock, { flushMs: 20 });
    recorder.seen('p1', 'e1', ['checkout']);
    await expect.poll(async () => (await recorder.lastEvaluated('e1')).has('checkout')).toBe(true);
  });
});
