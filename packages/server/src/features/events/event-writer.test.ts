import { pino } from 'pino';
import { describe, expect, it, vi } from 'vitest';
import type { EventStore } from '../../ports/event-store.js';
import type { StoredEvent } from '../../ports/stored-event.js';
import { createTelemetry } from '../../runtime/telemetry.js';
import { storedEvent } from '../../test-support/stored-event.js';
import { type EventSource, EventWriter } from './event-writer.js';

function event(unitId = 'u'): StoredEvent {
  return storedEvent({ unitId });
}

/** Refuses, as PostgreSQL would (SQLSTATE 22021), any write holding an event whose unit is "bad"; optionally fails once as if down. */
function refusingStore(options: { outageOnCall?: number } = {}) {
  const stored: StoredEvent[] = [];
  let calls = 0;
  const store: EventStore = {
    async insertBatches([events = []]) {
      calls += 1;
      if (calls === options.outageOnCall)
        throw Object.assign(new Error('connection lost'), { code: 'ECONNRESET' });
      if (events.some((candidate) => candidate.unitId === 'bad')) {
        throw Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code: '22021' });
      }
      stored.push(...events);
      return [events.length];
    },
    dropBefore: async () => 0,
    count: async () => stored.length,
    deleteProject: async () => 0,
    isDataRejection: (error) => (error as { code?: string }).code === '22021',
  };
  return { store, stored };
}

/** One batch, then nothing; records what the writer did with it. */
function oneBatch(events: StoredEvent[]) {
  const record = {
    acks: 0,
    retries: 0,
    inProgress: 0,
    deadLetters: [] as { events: StoredEvent[]; reason: string }[],
  };
  let handedOut = false;
  const source: EventSource = {
    async next() {
      const batch = handedOut ? [] : events;
      if (handedOut) await new Promise((resolve) => setTimeout(resolve, 10));
      handedOut = true;
      return {
        events: batch,
        ack: () => {
          if (batch.length > 0) record.acks += 1;
        },
        retry: () => {
          record.retries += 1;
        },
        inProgress: () => {
          record.inProgress += 1;
        },
      };
    },
    pending: async () => 0,
    async deadLetter(refused, reason) {
      record.deadLetters.push({ events: [...refused], reason });
    },
  };
  return { source, record };
}

function startWriter(source: EventSource, store: EventStore) {
  const telemetry = createTelemetry({ processMetrics: false });
  const writer = new EventWriter({
    source,
    store,
    logger: pino({ level: 'silent' }),
    telemetry,
    waitMs: 10,
    retryDelayMs: 10,
  });
  writer.start();
  return { writer, telemetry };
}

describe('EventWriter with events the store refuses as data', () => {
  it('stores the rest of the batch, dead-letters only the refused events, then acknowledges', async () => {
    const events = [
      ...Array.from({ length: 13 }, () => event()),
      event('bad'),
      event(),
      event('bad'),
      event(),
    ];
    const { store, stored } = refusingStore();
    const { source, record } = oneBatch(events);
    const { writer, telemetry } = startWriter(source, store);
    await vi.waitFor(() => expect(record.acks).toBe(1));
    await writer.stop();

    expect(stored.map((entry) => entry.eventId).sort()).toEqual(
      events
        .filter((entry) => entry.unitId !== 'bad')
        .map((entry) => entry.eventId)
        .sort(),
    );
    expect(record.deadLetters.flatMap((letter) => letter.events)).toEqual(
      events.filter((entry) => entry.unitId === 'bad'),
    );
    expect(record.deadLetters[0]?.reason).toMatch(/0x00/);
    expect(record.retries).toBe(0);
    expect(record.inProgress).toBeGreaterThan(0);
    expect((await telemetry.writerDeadLettered.get()).values[0]?.value).toBe(2);
    expect((await telemetry.writerRows.get()).values[0]?.value).toBe(15);
  });

  it('retries the whole batch, dead-lettering nothing, when the database goes away meanwhile', async () => {
    const events = [event(), event('bad'), event(), event()];
    const { store } = refusingStore({ outageOnCall: 2 });
    const { source, record } = oneBatch(events);
    const { writer } = startWriter(source, store);
    await vi.waitFor(() => expect(record.retries).toBe(1));
    await writer.stop();
    expect(record.acks).toBe(0);
    expect(record.deadLetters).toEqual([]);
  });
});
