import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventStoreFor } from '../../adapters/event-store-for.js';
import type { EventStore } from '../../ports/event-store.js';
import type { StoredEvent } from '../../ports/stored-event.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../test-support/databases.js';
import { storedEvent } from '../../test-support/stored-event.js';

function event(overrides: Partial<StoredEvent> = {}): StoredEvent {
  return storedEvent({
    value: 12.5,
    properties: JSON.stringify({ currency: 'EUR', note: 'quote " and comma , and\nnewline' }),
    ...overrides,
  });
}

describe.each(DIALECTS)('EventStore on %s', (dialect) => {
  let test: TestDatabase;
  let store: EventStore;
  beforeAll(async () => {
    test = await createTestDatabase(dialect);
    store = eventStoreFor(test.database);
  });
  afterAll(async () => {
    await test?.destroy();
  });

  it('stores every field faithfully, including awkward characters, nulls and empty strings', async () => {
    const exposure = event({
      type: 'exposure',
      experiment: 'cta',
      variant: 'treatment',
      eventName: null,
      value: null,
      properties: null,
      unitId: '',
    });
    const track = event();
    expect(await store.insertBatches([[exposure, track]])).toEqual([2]);
    const rows = await test.database.db.selectFrom('events').selectAll().orderBy('type').execute();
    expect(rows).toEqual([
      expect.objectContaining({
        event_id: exposure.eventId,
        type: 'exposure',
        unit_id: '',
        experiment: 'cta',
        variant: 'treatment',
        event_name: null,
        value: null,
        properties: null,
        occurred_at: '2026-11-25T12:00:00.000Z',
      }),
      expect.objectContaining({
        event_id: track.eventId,
        type: 'track',
        event_name: 'purchase',
        value: 12.5,
      }),
    ]);
    expect(JSON.parse(rows[1]?.properties ?? 'null')).toEqual(JSON.parse(track.properties ?? ''));
  });

  it('skips events already stored and credits each batch with its own new events', async () => {
    const shared = event();
    const first = [event(), shared];
    const second = [shared, event(), event()];
    expect(await store.insertBatches([first, second])).toEqual([2, 2]);
    expect(await store.insertBatches([[shared, first[0] as StoredEvent]])).toEqual([0]);
    expect(await store.count()).toBe(6);
  });

  it('keeps events of two environments apart even with the same id and time', async () => {
    const ours = event({ projectId: 'p-a', environmentId: 'env-a' });
    const theirs = { ...ours, projectId: 'p-b', environmentId: 'env-b' };
    expect(await store.insertBatches([[ours]])).toEqual([1]);
    // One group with a true duplicate in it (the PostgreSQL writer then goes through staging) and
    // the other environment's event, which is new.
    expect(await store.insertBatches([[ours], [theirs]])).toEqual([0, 1]);
    expect(await store.insertBatches([[theirs]])).toEqual([0]);
    expect(await store.count({ environmentId: 'env-a' })).toBe(1);
    expect(await store.count({ environmentId: 'env-b' })).toBe(1);
  });

  it('stores a group of many batches, crediting each with its own new events', async () => {
    const batches = Array.from({ length: 12 }, () => Array.from({ length: 1_000 }, () => event()));
    const repeated = batches[3]?.[7] as StoredEvent;
    batches[11]?.push(repeated);
    const counts = await store.insertBatches(batches);
    expect(counts).toEqual([...Array.from({ length: 11 }, () => 1_000), 1_000]);
  });

  it('keeps events a concurrent management transaction rolls back around them', async () => {
    const events = [event(), event()];
    let inserted: Promise<number[]> | undefined;
    const rolledBack = test.database.db.transaction().execute(async (transaction) => {
      await sql`select 1`.execute(transaction);
      inserted = store.insertBatches([events]);
      await new Promise((resolve) => setTimeout(resolve, 20));
      await sql`select 1`.execute(transaction);
      throw new Error('rolled back');
    });
    await expect(rolledBack).rejects.toThrow('rolled back');
    expect(await inserted).toEqual([2]);
    const stored = await test.database.db
      .selectFrom('events')
      .select('event_id')
      .where(
        'event_id',
        'in',
        events.map((entry) => entry.eventId),
      )
      .execute();
    expect(stored).toHaveLength(2);
  });

  it('keeps days apart and drops what is older than the cutoff', async () => {
    await store.insertBatches([
      [
        event({ occurredAt: '2026-11-20T23:59:59.999Z' }),
        event({ occurredAt: '2026-11-21T00:00:00.000Z' }),
        event({ occurredAt: '2026-11-22T10:00:00.000Z', environmentId: 'e2' }),
      ],
    ]);
    expect(await store.count({ environmentId: 'e2' })).toBe(1);
    const before = await store.count();
    const dropped = await store.dropBefore(new Date('2026-11-21T12:00:00.000Z'));
    expect(dropped).toBeGreaterThan(0);
    // The 20th goes entirely; the 21st stays (PostgreSQL drops whole days only, SQLite rows).
    const remaining = await test.database.db
      .selectFrom('events')
      .select(sql<number>`count(*)`.as('count'))
      .where('occurred_at', '<', '2026-11-21T00:00:00.000Z')
      .executeTakeFirstOrThrow();
    expect(Number(remaining.count)).toBe(0);
    expect(await store.count()).toBe(before - 1);
  });

  it('recreates a day that another process dropped after this one had seen it', async () => {
    const day = { occurredAt: '2026-11-23T08:00:00.000Z' };
    expect(await store.insertBatches([[event(day)]])).toEqual([1]);
    // Another process's retention drops the day (this store still believes it exists).
    await eventStoreFor(test.database).dropBefore(new Date('2026-11-24T00:00:00.000Z'));
    expect(await store.insertBatches([[event(day)]])).toEqual([1]);
    expect(
      Number(
        (
          await test.database.db
            .selectFrom('events')
            .select(sql<number>`count(*)`.as('count'))
            .where('occurred_at', '=', day.occurredAt)
            .executeTakeFirstOrThrow()
        ).count,
      ),
    ).toBe(1);
  });
});
