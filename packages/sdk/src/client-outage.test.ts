import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ContractServer } from './test-support/contract-server.js';
import { payloadOf, stringFlag } from './test-support/payloads.js';
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

describe('a client through a server outage', () => {
  it('retries an unreachable server often, reports the failure once per outage, and resumes at once', async () => {
    const { client, errors } = clients.create(server, {
      // A grown backoff would wait up to 30 s; an unreachable server is tried every ≤ 50 ms.
      streamRetry: {
        initialDelayMs: 20,
        maxDelayMs: 30_000,
        unreachableMaxDelayMs: 50,
        pollingFallbackAfter: 1_000,
      },
      events: { flushIntervalMs: 50, retryInitialDelayMs: 30_000, retryMaxDelayMs: 30_000 },
    });
    await client.ready();
    await waitFor(() => server.openStreams === 1);
    const port = Number(new URL(server.url).port);

    await server.stop();
    await waitFor(() => client.status === 'stale');
    client.track('during-outage', { context: { targetingKey: 'u1' } });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const streamFailures = errors.filter((error) => error.code === 'stream_failed');
    expect(streamFailures).toHaveLength(1);
    expect(server.streamConnections).toHaveLength(1);

    const restarted = Date.now();
    server.publish(payloadOf(2, [stringFlag('after-restart')]));
    await server.listen(port);
    await waitFor(() => client.status === 'ready', { timeoutMs: 5_000 });
    // The event waited out a 30 s backoff; the reconnected stream sent it at once.
    await waitFor(() => server.events.length === 1, { timeoutMs: 5_000 });
    expect(Date.now() - restarted).toBeLessThan(2_000);
    await waitFor(() => client.getStringValue('button-color', 'none') === 'after-restart');
    expect(errors.filter((error) => error.code.startsWith('events_'))).toEqual([]);

    // A later outage is a new run of failures: reported again.
    await server.stop();
    await waitFor(() => errors.filter((error) => error.code === 'stream_failed').length === 2, {
      timeoutMs: 2_000,
    });
  });
});
