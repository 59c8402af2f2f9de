import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CleaveClient } from './client.js';
import { createClient } from './client.js';
import type { ConfigChange } from './config-store.js';
import { ContractServer, TEST_SDK_KEY } from './test-support/contract-server.js';
import {
  defaultFlags,
  EXPERIMENT,
  EXPERIMENT_FLAG,
  numberFlag,
  payloadOf,
  stringFlag,
  switchFlag,
} from './test-support/payloads.js';
import { TestClients } from './test-support/test-clients.js';
import { waitFor } from './test-support/wait-for.js';

let server: ContractServer;
const clients = new TestClients();

beforeEach(async () => {
  server = await ContractServer.start(payloadOf(1));
});

afterEach(async () => {
  await clients.closeAll();
  await server.stop();
});

/** Every flag's value for a few units: what two clients must agree on. */
function snapshot(client: CleaveClient): unknown[] {
  return ['u1', 'u2', 'u3', 'u4', 'qa-user'].map((targetingKey) => ({
    checkout: client.getBooleanDetails(EXPERIMENT_FLAG, false, { targetingKey }).value,
    variant: client.getVariant(EXPERIMENT, { targetingKey }),
    color: client.getStringValue('button-color', 'none', { targetingKey }),
    items: client.getNumberValue('max-items', 0, { targetingKey }),
    config: client.getJsonValue('checkout-config', {}, { targetingKey }),
  }));
}

describe('createClient: ready and evaluation', () => {
  it('becomes ready with the served payload and evaluates every flag type locally', async () => {
    const { client, errors } = clients.create(server);
    const readyEvents: number[] = [];
    client.on('ready', (event) => readyEvents.push(event.version));
    expect(client.getBooleanValue('dark-mode', true)).toBe(true); // no configuration yet: the default
    expect(client.getStringDetails('button-color', 'none').errorCode).toBe('PROVIDER_NOT_READY');

    expect(await client.ready()).toBe('ready');
    expect(client.status).toBe('ready');
    expect(readyEvents).toEqual([1]);
    expect(client.getBooleanValue('dark-mode', true)).toBe(false);
    expect(client.getStringValue('button-color', 'none')).toBe('blue');
    expect(client.getNumberValue('max-items', 0)).toBe(10);
    expect(client.getJsonValue('checkout-config', { limit: 0 })).toEqual({ limit: 3 });
    expect(client.getPayload()?.version).toBe(1);
    expect(errors).toEqual([]);
  });

  it('serves the default with TYPE_MISMATCH or FLAG_NOT_FOUND', async () => {
    const { client } = clients.create(server);
    await client.ready();
    const mismatch = client.getNumberDetails('button-color', 7);
    expect(mismatch).toMatchObject({ value: 7, reason: 'ERROR', errorCode: 'TYPE_MISMATCH' });
    expect(client.getStringDetails('missing', 'fallback')).toMatchObject({
      value: 'fallback',
      errorCode: 'FLAG_NOT_FOUND',
    });
  });

  it('returns the experiment variation, with targeting applied, and merges client and call contexts', async () => {
    const { client } = clients.create(server, { context: { country: 'NL' } });
    await client.ready();
    const variations = new Set<string | undefined>();
    for (let i = 0; i < 40; i++) variations.add(client.getVariant(EXPERIMENT, { targetingKey: `user-${i}` }));
    expect(variations).toEqual(new Set(['control', 'treatment']));
    const details = client.getBooleanDetails(EXPERIMENT_FLAG, false, { targetingKey: 'user-1' });
    expect(details.flagMetadata.experimentKey).toBe(EXPERIMENT);
    expect(details.value).toBe(client.getVariant(EXPERIMENT, { targetingKey: 'user-1' }) === 'treatment');
    // Not in the experiment: overridden, forced by a rule (country from the call context), no unit id.
    expect(client.getVariant(EXPERIMENT, { targetingKey: 'qa-user' })).toBeUndefined();
    expect(client.getVariant(EXPERIMENT, { targetingKey: 'user-1', country: 'QA' })).toBeUndefined();
    expect(client.getVariant(EXPERIMENT)).toBeUndefined();
    expect(client.getVariant('no-such-experiment', { targetingKey: 'user-1' })).toBeUndefined();
    // The client context applies to calls without one.
    client.setContext({ targetingKey: 'user-1', country: 'QA' });
    expect(client.getBooleanDetails(EXPERIMENT_FLAG, false).flagMetadata.ruleId).toBe('forced');
  });

  it('never throws: garbage keys, contexts, defaults and options', async () => {
    const { client, errors } = clients.create(server);
    await client.ready();
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('hostile context');
        },
        ownKeys() {
          throw new Error('hostile context');
        },
      },
    );
    const calls: (() => unknown)[] = [
      () => client.getBooleanValue(undefined as unknown as string, true),
      () => client.getStringValue('button-color', 'x', 42 as never),
      () => client.getNumberValue('max-items', 1, [1, 2] as never),
      () => client.getJsonValue('checkout-config', null, hostile as never),
      () => client.getBooleanValue('dark-mode', 'not a boolean' as never),
      () => client.getVariant(null as unknown as string, hostile as never),
      () => client.track(null as unknown as string, hostile as never),
      () => client.track('purchase', { value: Number.NaN, context: { targetingKey: 'u' } }),
      () => client.setContext(hostile as never),
      () =>
        client.on('change', () => {
          throw new Error('listener bug');
        }),
    ];
    for (const call of calls) expect(call).not.toThrow();
    expect(client.getJsonValue('checkout-config', null, hostile as never)).toBeNull();
    expect(errors.map((error) => error.code)).toContain('invalid_event');

    // Unusable options: an offline client that reports why, and still never throws.
    const broken = createClient(null as never);
    const brokenErrors: string[] = [];
    broken.on('error', (error) => brokenErrors.push(error.code));
    expect(await broken.ready()).toBe('failed');
    expect(broken.getBooleanValue('dark-mode', true)).toBe(true);
    await waitFor(() => brokenErrors.includes('invalid_options'));
    await broken.close();
  });

  it('resolves ready() with "failed" at once when the key is rejected', async () => {
    const { client, errors } = clients.create(server, { sdkKey: 'wrong-key', readyTimeoutMs: 10_000 });
    const started = Date.now();
    expect(await client.ready()).toBe('failed');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(errors[0]).toMatchObject({ code: 'unauthorized', status: 401 });
  });

  it('resolves ready() with "timeout" when no configuration comes in time, and "ready" arrives later', async () => {
    server.configMode = 'error';
    server.streamMode = 'error';
    const { client } = clients.create(server, { readyTimeoutMs: 100 });
    expect(await client.ready()).toBe('timeout');
    const ready = new Promise((resolve) => client.on('ready', resolve));
    server.configMode = 'ok';
    server.streamMode = 'ok';
    await ready;
    expect(client.getStringValue('button-color', 'none')).toBe('blue');
  });
});

describe('config delivery', () => {
  it('polls with the ETag and gets 304 while nothing changes', async () => {
    const { client } = clients.create(server, { streaming: false });
    await client.ready();
    await waitFor(() => server.configRequests.filter((request) => request.status === 304).length >= 2);
    expect(server.configRequests[0]).toEqual({ ifNoneMatch: undefined, status: 200 });
    expect(server.configRequests.slice(1).every((request) => request.ifNoneMatch === '"1"')).toBe(true);
    expect(server.streamConnections).toEqual([]);

    const changes: ConfigChange[] = [];
    client.on('change', (change) => changes.push(change));
    server.publish(payloadOf(2, [stringFlag('green'), numberFlag(), switchFlag('dark-mode', false)]));
    await waitFor(() => client.getStringValue('button-color', 'none') === 'green');
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ version: 2, previousVersion: 1, source: 'fetch' });
    expect([...(changes[0]?.flagKeys ?? [])].sort()).toEqual([
      'button-color',
      'checkout-config',
      EXPERIMENT_FLAG,
    ]);
  });

  it('streams changes: a change event within moments, with the changed flag keys', async () => {
    const { client, errors } = clients.create(server);
    await client.ready();
    await waitFor(() => server.openStreams === 1);
    expect(server.streamConnections[0]).toMatchObject({
      lastEventId: '1',
      authorization: `Bearer ${TEST_SDK_KEY}`,
    });

    const changed = new Promise<ConfigChange>((resolve) => client.on('change', resolve));
    const published = Date.now();
    const flags = defaultFlags().map((flag) =>
      flag.key === 'dark-mode' ? switchFlag('dark-mode', true) : flag,
    );
    server.publish(payloadOf(2, flags));
    const change = await changed;
    expect(Date.now() - published).toBeLessThan(2_000);
    expect(change).toMatchObject({
      flagKeys: ['dark-mode'],
      version: 2,
      previousVersion: 1,
      source: 'stream',
    });
    expect(client.getBooleanValue('dark-mode', false)).toBe(true);
    expect(errors).toEqual([]);
  });

  it('reconnects a dropped stream with backoff, resuming from the version in hand', async () => {
    const { client } = clients.create(server);
    await client.ready();
    await waitFor(() => server.openStreams === 1);
    server.killStreams();
    // Changed while the client was disconnected: the reconnect must bring it.
    server.publish(payloadOf(2, [stringFlag('red')]));
    await waitFor(() => client.getStringValue('button-color', 'none') === 'red');
    expect(server.streamConnections.length).toBeGreaterThanOrEqual(2);
    expect(server.streamConnections[1]?.lastEventId).toBe('1');

    // Repeated drops: every one is followed by a reconnect; the delays grow but stay capped.
    for (let i = 0; i < 3; i++) {
      const connections = server.streamConnections.length;
      await waitFor(() => server.openStreams === 1);
      server.killStreams();
      await waitFor(() => server.streamConnections.length > connections);
    }
    await waitFor(() => server.openStreams === 1);
    server.publish(payloadOf(3, [stringFlag('teal')]));
    await waitFor(() => client.getStringValue('button-color', 'none') === 'teal');
  });

  it('reopens a stream that went silent for longer than the idle timeout', async () => {
    server.streamMode = 'silent';
    const { client, errors } = clients.create(server, { streamIdleTimeoutMs: 200 });
    await client.ready();
    await waitFor(() => errors.some((error) => error.code === 'stream_timeout'));
    await waitFor(() => server.streamConnections.length >= 2);
    server.streamMode = 'ok';
    server.publish(payloadOf(2, [stringFlag('silent-no-more')]));
    await waitFor(() => client.getStringValue('button-color', 'none') === 'silent-no-more');
  });

  it('falls back to polling when the stream keeps failing, and stops polling once it works', async () => {
    server.streamMode = 'error';
    const { client, errors } = clients.create(server);
    await client.ready();
    await waitFor(() => client.syncMode === 'streaming-with-polling');
    expect(errors.some((error) => error.code === 'stream_failed' && error.status === 503)).toBe(true);
    const statuses: string[] = [];
    client.on('status', (status) => statuses.push(status));

    server.publish(payloadOf(2, [stringFlag('polled')]));
    await waitFor(() => client.getStringValue('button-color', 'none') === 'polled');
    expect(server.configRequests.some((request) => request.ifNoneMatch === '"1"')).toBe(true);

    server.streamMode = 'ok';
    await waitFor(() => client.syncMode === 'streaming', { timeoutMs: 15_000 });
    server.publish(payloadOf(3, [stringFlag('streamed')]));
    await waitFor(() => client.getStringValue('button-color', 'none') === 'streamed');
    const requests = server.configRequests.length;
    await new Promise((resolve) => setTimeout(resolve, 300)); // three polling periods
    expect(server.configRequests.length).toBe(requests);
    expect(statuses).not.toContain('not_ready');
  });

  it('keeps the last good configuration when an invalid payload arrives, and reports it', async () => {
    const { client, errors } = clients.create(server);
    await client.ready();
    await waitFor(() => server.openStreams === 1);
    const changes: ConfigChange[] = [];
    client.on('change', (change) => changes.push(change));

    server.publishRaw({ ...payloadOf(2), flags: [{ key: 'button-color', type: 'string' }] }, 2);
    await waitFor(() => errors.some((error) => error.code === 'invalid_payload'));
    server.pushRaw('event: config\nid: 3\ndata: {not json\n\n');
    await waitFor(() => errors.filter((error) => error.code === 'invalid_payload').length >= 2);
    expect(client.getStringValue('button-color', 'none')).toBe('blue');
    expect(client.getPayload()?.version).toBe(1);
    expect(changes).toEqual([]);

    server.publish(payloadOf(4, [stringFlag('valid-again')]));
    await waitFor(() => client.getStringValue('button-color', 'none') === 'valid-again');
  });

  it('starts with defaults while the server is down, reports it, and recovers when it comes up', async () => {
    const port = await ContractServer.freePort();
    const { client, errors } = clients.create(`http://127.0.0.1:${port}`, { readyTimeoutMs: 200 });
    expect(await client.ready()).toBe('timeout');
    expect(client.status).toBe('not_ready');
    expect(client.getStringValue('button-color', 'default')).toBe('default');
    expect(errors.some((error) => error.code === 'config_fetch_failed')).toBe(true);

    const down = server;
    server = await ContractServer.start(payloadOf(5, [stringFlag('recovered')]), port);
    await down.stop();
    await waitFor(() => client.getStringValue('button-color', 'default') === 'recovered', {
      timeoutMs: 15_000,
    });
    expect(client.status).toBe('ready');
  });

  it('turns stale when the server goes away with a configuration in hand, and ready when it is back', async () => {
    const { client } = clients.create(server);
    await client.ready();
    await waitFor(() => server.openStreams === 1);
    const statuses: string[] = [];
    client.on('status', (status) => statuses.push(status));
    const port = Number(new URL(server.url).port);
    await server.stop();
    await waitFor(() => client.status === 'stale');
    expect(client.getStringValue('button-color', 'none')).toBe('blue');
    await server.listen(port);
    await waitFor(() => client.status === 'ready', { timeoutMs: 15_000 });
    expect(statuses).toEqual(['stale', 'ready']);
  });
});

describe('bootstrap and offline', () => {
  it('evaluates a bootstrap payload offline, with no network, exactly as an online client does', async () => {
    const online = clients.create(server).client;
    await online.ready();
    await waitFor(() => server.openStreams === 1);
    const requestsBefore = server.configRequests.length + server.streamConnections.length;

    const { client: offline, errors } = clients.create(server, {
      offline: true,
      bootstrap: online.getPayload(),
    });
    expect(offline.status).toBe('ready'); // synchronously, before any await
    expect(await offline.ready()).toBe('ready');
    expect(snapshot(offline)).toEqual(snapshot(online));
    offline.track('purchase', { context: { targetingKey: 'u1' } });
    await offline.flush();
    await offline.close();
    expect(server.configRequests.length + server.streamConnections.length).toBe(requestsBefore);
    expect(server.events.filter((event) => event.unitId === 'u1' && event.type === 'track')).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('starts from a bootstrap and streams from its version without downloading it again', async () => {
    const { client } = clients.create(server, { bootstrap: payloadOf(1) });
    expect(client.getStringValue('button-color', 'none')).toBe('blue');
    const changes: ConfigChange[] = [];
    client.on('change', (change) => changes.push(change));
    await waitFor(() => server.openStreams === 1);
    expect(server.streamConnections[0]?.lastEventId).toBe('1');
    expect(server.configRequests).toEqual([]);
    server.publish(payloadOf(2, [stringFlag('newer')]));
    await waitFor(() => client.getStringValue('button-color', 'none') === 'newer');
    expect(changes.map((change) => change.version)).toEqual([2]);
  });

  it('polls from a bootstrap with its version as the ETag, so an unchanged payload is not downloaded', async () => {
    const { client } = clients.create(server, { bootstrap: payloadOf(1), streaming: false });
    await waitFor(() => server.configRequests.length >= 1);
    expect(server.configRequests[0]).toEqual({ ifNoneMatch: '"1"', status: 304 });
    expect(client.status).toBe('ready');
  });

  it('refuses an invalid bootstrap with an error and fetches instead', async () => {
    const { client, errors } = clients.create(server, { bootstrap: { version: 'nope' } });
    expect(client.status).toBe('not_ready');
    expect(await client.ready()).toBe('ready');
    expect(errors.map((error) => error.code)).toEqual(['invalid_payload']);
  });

  it('reports offline without a usable bootstrap as failed', async () => {
    const { client } = clients.create(server, { offline: true });
    expect(await client.ready()).toBe('failed');
    expect(client.getNumberValue('max-items', 1)).toBe(1);
  });
});

describe('close', () => {
  it('is idempotent, stops the stream and keeps serving the last configuration', async () => {
    const { client } = clients.create(server);
    await client.ready();
    await waitFor(() => server.openStreams === 1);
    const first = client.close();
    expect(client.close()).toBe(first);
    await first;
    expect(client.status).toBe('closed');
    await waitFor(() => server.openStreams === 0);
    expect(client.getStringValue('button-color', 'none')).toBe('blue');
    const connections = server.streamConnections.length;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(server.streamConnections.length).toBe(connections);
    expect(await client.ready()).toBe('ready');
  });
});
