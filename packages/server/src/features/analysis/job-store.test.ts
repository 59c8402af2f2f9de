import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../test-support/databases.js';
import { KyselyJobStore } from './job-store.js';

const T0 = '2026-11-29T10:00:00.000Z';
const T1 = '2026-11-29T10:05:00.000Z';
const LATER = '2026-11-29T11:00:00.000Z';

describe.each(DIALECTS)('analysis job store (%s)', (dialect) => {
  let test: TestDatabase;
  let store: KyselyJobStore;
  let experiment = 0;
  /** Each test its own experiment, so their jobs never meet. */
  const newJob = (id: string) => ({
    id,
    projectId: 'p1',
    type: 'experiment-analysis',
    experimentKey: `experiment-${experiment}`,
    environmentId: 'production',
  });

  beforeAll(async () => {
    test = await createTestDatabase(dialect);
    store = new KyselyJobStore(test.database.db);
    await test.database.db
      .insertInto('projects')
      .values({
        id: 'p1',
        key: 'shop',
        name: 'Shop',
        description: '',
        created_at: T0,
        updated_at: T0,
        version: 1,
      })
      .execute();
  });
  afterAll(async () => {
    await test?.destroy();
  });

  it('keeps one waiting job per experiment: a second request gets the first', async () => {
    experiment += 1;
    const first = await store.create(newJob('a'), T0);
    const second = await store.create(newJob('b'), T0);
    expect(second.id).toBe(first.id);
    expect(await store.findActive('p1', `experiment-${experiment}`, 'production')).toMatchObject({
      id: 'a',
      status: 'queued',
    });
  });

  it('never runs two jobs of one experiment at once', async () => {
    experiment += 1;
    await store.create(newJob('c'), T0);
    expect(await store.claim('c', T0, '2026-11-29T09:00:00.000Z')).toBe('claimed');
    // While c runs, a new request waits beside it, and cannot be claimed.
    await store.create(newJob('d'), T0);
    expect(await store.claim('d', T1, '2026-11-29T09:00:00.000Z')).toBe('busy');
    expect(await store.claim('c', T1, '2026-11-29T09:00:00.000Z')).toBe('taken');
    await store.succeed('c', 'snapshot-1', T1);
    expect(await store.claim('d', T1, '2026-11-29T09:00:00.000Z')).toBe('claimed');
    expect(await store.get('c')).toMatchObject({
      status: 'succeeded',
      progress: 1,
      snapshotId: 'snapshot-1',
      attempts: 1,
    });
    expect(await store.claim('c', T1, '2026-11-29T09:00:00.000Z')).toBe('gone');
  });

  it('fails a running job whose worker went silent, so the next one can run', async () => {
    experiment += 1;
    await store.create(newJob('e'), T0);
    expect(await store.claim('e', T0, '2026-11-29T09:00:00.000Z')).toBe('claimed');
    await store.create(newJob('f'), T0);
    // Nothing heard from e since T0; by LATER its lease (staleBefore = T1) has run out.
    expect(await store.claim('f', LATER, T1)).toBe('claimed');
    expect(await store.get('e')).toMatchObject({
      status: 'failed',
      error: expect.stringContaining('stopped'),
    });
  });

  it('requeues a transient failure with its error, and counts attempts', async () => {
    experiment += 1;
    await store.create(newJob('g'), T0);
    await store.claim('g', T0, '2026-11-29T09:00:00.000Z');
    await store.progress('g', 0.4, T0);
    expect((await store.get('g'))?.progress).toBe(0.4);
    await store.requeue('g', 'connection reset', T1);
    expect(await store.get('g')).toMatchObject({ status: 'queued', error: 'connection reset', attempts: 1 });
    await store.claim('g', T1, '2026-11-29T09:00:00.000Z');
    expect(await store.get('g')).toMatchObject({ status: 'running', error: null, attempts: 2 });
    await store.fail('g', 'gave up', T1);
    expect(await store.get('g')).toMatchObject({ status: 'failed', error: 'gave up', finishedAt: T1 });
  });

  it('lets a retry claim the job its failed attempt left running (the database was gone when it failed)', async () => {
    experiment += 1;
    await store.create(newJob('h'), T0);
    expect(await store.claim('h', T0, '2026-11-29T09:00:00.000Z')).toBe('claimed');
    // The attempt failed and could not requeue: the row still says running, with a fresh update.
    expect(await store.claim('h', T1, '2026-11-29T09:00:00.000Z')).toBe('taken');
    expect(await store.claim('h', T1, '2026-11-29T09:00:00.000Z', { retry: true })).toBe('claimed');
    expect(await store.get('h')).toMatchObject({ status: 'running', attempts: 2 });
  });
});
