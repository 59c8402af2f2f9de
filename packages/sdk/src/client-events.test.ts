import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ExposureEvent, TrackEvent } from './events/event-types.js';
import { ContractServer } from './test-support/contract-server.js';
import {
  EXPERIMENT,
  EXPERIMENT_FLAG,
  FORCED_COUNTRY,
  OVERRIDDEN_UNIT,
  payloadOf,
} from './test-support/payloads.js';
import { TestClients } from './test-support/test-clients.js';
import { waitFor } from './test-support/wait-for.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
/** Batches wait this long unless a test wants time-based flushing. */
const NEVER = 60_000;

let server: ContractServer;
const clients = new TestClients();

beforeEach(async () => {
  server = await ContractServer.start(payloadOf(1));
});

afterEach(async () => {
  await clients.closeAll();
  await server.stop();
});

function exposures(): ExposureEvent[] {
  return server.events.filter((event): event is ExposureEvent => event.type === 'exposure');
}

function tracked(): TrackEvent[] {
  return server.events.filter((event): event is TrackEvent => event.type === 'track');
}

describe('exposures', () => {
  it('sends one exposure per unit, experiment and variation, however often the value is read', async () => {
    const { client, errors } = clients.create(server, { streaming: false });
    await client.ready();
    for (let i = 0; i < 5; i++) {
      for (const targetingKey of ['u1', 'u2', 'u3']) {
        client.getBooleanValue(EXPERIMENT_FLAG, false, { targetingKey });
        client.getVariant(EXPERIMENT, { targetingKey });
      }
    }
    await client.flush();
    const sent = exposures();
    expect(sent.map((event) => event.unitId).sort()).toEqual(['u1', 'u2', 'u3']);
    for (const event of sent) {
      expect(event.id).toMatch(UUID);
      expect(event.experiment).toBe(EXPERIMENT);
      expect(event.variant).toBe(client.getVariant(EXPERIMENT, { targetingKey: event.unitId }));
      expect(Date.parse(event.timestamp)).not.toBeNaN();
      expect(event.timestamp.endsWith('Z')).toBe(true);
    }
    expect(new Set(sent.map((event) => event.id)).size).toBe(3);
    expect(errors).toEqual([]);
  });

  it('sends no exposure when an override, a force rule or no experiment decided the value', async () => {
    const { client } = clients.create(server, { streaming: false });
    await client.ready();
    expect(client.getBooleanValue(EXPERIMENT_FLAG, false, { targetingKey: OVERRIDDEN_UNIT })).toBe(true);
    expect(
      client.getBooleanValue(EXPERIMENT_FLAG, false, { targetingKey: 'u9', country: FORCED_COUNTRY }),
    ).toBe(true);
    client.getBooleanValue(EXPERIMENT_FLAG, false); // no unit id
    client.getStringValue('button-color', 'none', { targetingKey: 'u9' });
    client.getBooleanValue('dark-mode', false, { targetingKey: 'u9' });
    client.track('marker', { context: { targetingKey: 'u9' } });
    await client.flush();
    expect(server.events.map((event) => event.type)).toEqual(['track']);
  });

  it('sends no exposure when exposures are turned off', async () => {
    const { client } = clients.create(server, { streaming: false, events: { exposures: false } });
    await client.ready();
    client.getBooleanValue(EXPERIMENT_FLAG, false, { targetingKey: 'u1' });
    await client.flush();
    expect(server.eventRequests).toEqual([]);
  });
});

describe('track and batching', () => {
  it('sends a batch as soon as it is full, and the rest on flush', async () => {
    const { client } = clients.create(server, {
      streaming: false,
      events: { batchSize: 5, flushIntervalMs: NEVER },
    });
    for (let i = 0; i < 12; i++) client.track(`event-${i}`, { context: { targetingKey: 'u1' } });
    await waitFor(() => server.batches.length === 2);
    expect(server.batches.map((batch) => batch.length)).toEqual([5, 5]);
    await client.flush();
    expect(server.batches.map((batch) => batch.length)).toEqual([5, 5, 2]);
    expect(tracked().map((event) => event.event)).toEqual(Array.from({ length: 12 }, (_, i) => `event-${i}`));
  });

  it('sends waiting events after flushIntervalMs without a flush', async () => {
    const { client } = clients.create(server, {
      streaming: false,
      events: { batchSize: 100, flushIntervalMs: 100 },
    });
    const started = Date.now();
    client.track('purchase', {
      value: 42.5,
      properties: { currency: 'EUR' },
      context: { targetingKey: 'u1' },
    });
    client.track('view', { context: { targetingKey: 'u2' } });
    await waitFor(() => server.batches.length === 1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
    expect(server.batches[0]).toEqual([
      expect.objectContaining({
        type: 'track',
        unitId: 'u1',
        event: 'purchase',
        value: 42.5,
        properties: { currency: 'EUR' },
      }),
      expect.objectContaining({ type: 'track', unitId: 'u2', event: 'view' }),
    ]);
    expect(server.batches[0]?.[1]).not.toHaveProperty('value');
  });

  it('takes the unit from the client context, and copies properties when tracked', async () => {
    const { client } = clients.create(server, { streaming: false, context: { targetingKey: 'client-unit' } });
    const properties = { plan: 'pro' };
    client.track('upgrade', { properties });
    properties.plan = 'changed later';
    await client.flush();
    expect(tracked()).toEqual([
      expect.objectContaining({ unitId: 'client-unit', properties: { plan: 'pro' } }),
    ]);
  });

  it('drops invalid events with an error: no unit id, bad name, bad value, non-JSON or too deep properties', async () => {
    const { client, errors } = clients.create(server, { streaming: false });
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let level = 0; level < 40; level++) deep = { deeper: deep };
    client.track('no-unit');
    client.track('', { context: { targetingKey: 'u1' } });
    client.track('bad-value', { value: Number.POSITIVE_INFINITY, context: { targetingKey: 'u1' } });
    client.track('bad-properties', { properties: circular as never, context: { targetingKey: 'u1' } });
    client.track('list-properties', { properties: [1, 2] as never, context: { targetingKey: 'u1' } });
    client.track('deep-properties', { properties: deep as never, context: { targetingKey: 'u1' } });
    await client.flush();
    expect(errors.map((error) => error.code)).toEqual(Array(6).fill('invalid_event'));
    expect(errors[5]?.message).toMatch(/more than 32 levels/);
    expect(server.eventRequests).toEqual([]);
  });
});

describe('delivery failures', () => {
  it('retries after a 503 with Retry-After, sending the same event ids', async () => {
    server.forcedEventResponses.push({ status: 503, retryAfter: '1' });
    const { client, errors } = clients.create(server, { streaming: false });
    client.track('purchase', { context: { targetingKey: 'u1' } });
    await client.flush();
    expect(server.eventRequests.map((request) => request.status)).toEqual([503, 202]);
    const [first, second] = server.eventRequests;
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(900);
    expect(tracked()).toHaveLength(1);
    expect(errors).toEqual([]);
  });

  it('retries after a 429, and with backoff after errors without Retry-After', async () => {
    server.forcedEventResponses.push({ status: 429, retryAfter: '0' }, { status: 500 }, { status: 502 });
    const { client, errors } = clients.create(server, { streaming: false });
    client.track('purchase', { context: { targetingKey: 'u1' } });
    await client.flush();
    expect(server.eventRequests.map((request) => request.status)).toEqual([429, 500, 502, 202]);
    expect(tracked()).toHaveLength(1);
    expect(errors).toEqual([]);
  });

  it('drops a batch after maxAttempts and reports it', async () => {
    server.forcedEventResponses.push({ status: 503 }, { status: 503 });
    const { client, errors } = clients.create(server, { streaming: false, events: { maxAttempts: 2 } });
    client.track('purchase', { context: { targetingKey: 'u1' } });
    await client.flush();
    expect(server.eventRequests.map((request) => request.status)).toEqual([503, 503]);
    expect(errors).toEqual([expect.objectContaining({ code: 'events_send_failed', status: 503 })]);
  });

  it('splits a batch the server finds too large (413) until each part fits', async () => {
    server.maxEventsPerRequest = 3;
    const { client, errors } = clients.create(server, {
      streaming: false,
      events: { batchSize: 10, flushIntervalMs: NEVER },
    });
    for (let i = 0; i < 10; i++) client.track(`event-${i}`, { context: { targetingKey: 'u1' } });
    await client.flush();
    expect(
      server.eventRequests.filter((request) => request.status === 413).map((request) => request.size),
    ).toEqual([10, 5, 5]);
    expect(server.batches.every((batch) => batch.length <= 3)).toBe(true);
    expect(tracked().map((event) => event.event)).toEqual(Array.from({ length: 10 }, (_, i) => `event-${i}`));
    expect(errors).toEqual([]);
  });

  it('drops events the server refuses (4xx) or lists as rejected, and reports them', async () => {
    server.forcedEventResponses.push(
      { status: 400, body: { error: { code: 'invalid_body', message: 'bad batch' } } },
      {
        status: 202,
        body: {
          accepted: 0,
          duplicates: 0,
          rejected: [{ index: 0, error: { code: 'timestamp_too_old', message: 'too old' } }],
        },
      },
    );
    const { client, errors } = clients.create(server, { streaming: false });
    client.track('first', { context: { targetingKey: 'u1' } });
    await client.flush();
    client.track('second', { context: { targetingKey: 'u1' } });
    await client.flush();
    expect(server.eventRequests.map((request) => request.status)).toEqual([400, 202]);
    expect(errors.map((error) => [error.code, error.status])).toEqual([
      ['events_rejected', 400],
      ['events_rejected', 202],
    ]);
    expect(errors[0]?.message).toContain('invalid_body: bad batch');
    expect(errors[1]?.details).toMatchObject({
      rejected: [{ index: 0, error: { code: 'timestamp_too_old' } }],
    });
  });

  it('keeps memory bounded: a full queue drops its oldest events and reports it once', async () => {
    const { client, errors } = clients.create(server, {
      streaming: false,
      events: { maxQueueSize: 5, batchSize: 500, flushIntervalMs: NEVER },
    });
    for (let i = 0; i < 8; i++) client.track(`event-${i}`, { context: { targetingKey: 'u1' } });
    await waitFor(() => errors.length > 0);
    expect(errors).toEqual([expect.objectContaining({ code: 'events_dropped', details: { dropped: 3 } })]);
    await client.flush();
    expect(tracked().map((event) => event.event)).toEqual([
      'event-3',
      'event-4',
      'event-5',
      'event-6',
      'event-7',
    ]);
  });
});

describe('flush and close', () => {
  it('close() flushes waiting events, is idempotent, and later events are refused', async () => {
    const { client, errors } = clients.create(server, { events: { flushIntervalMs: NEVER } });
    await client.ready();
    client.getBooleanValue(EXPERIMENT_FLAG, false, { targetingKey: 'u1' });
    client.track('purchase', { context: { targetingKey: 'u1' } });
    await Promise.all([client.close(), client.close()]);
    expect(server.events.map((event) => event.type).sort()).toEqual(['exposure', 'track']);
    client.track('late', { context: { targetingKey: 'u1' } });
    client.getBooleanValue(EXPERIMENT_FLAG, false, { targetingKey: 'u2' });
    await client.flush();
    expect(server.events).toHaveLength(2);
    expect(errors.map((error) => error.code)).toEqual(['invalid_event']);
  });

  it('close() gives up after closeTimeoutMs when the server keeps asking to wait, and reports the drop', async () => {
    server.forcedEventResponses.push({ status: 503, retryAfter: '60' });
    const { client, errors } = clients.create(server, { streaming: false, events: { closeTimeoutMs: 300 } });
    client.track('purchase', { context: { targetingKey: 'u1' } });
    client.track('view', { context: { targetingKey: 'u1' } });
    await waitFor(() => server.eventRequests.length === 1);
    const started = Date.now();
    await client.close();
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(errors).toEqual([expect.objectContaining({ code: 'events_send_failed' })]);
    expect(errors[0]?.details).toMatchObject({
      eventIds: [expect.stringMatching(UUID), expect.stringMatching(UUID)],
    });
  });
});
