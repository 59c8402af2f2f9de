/**
 * @module Clients for tests: fast timings against a contract server, errors collected, and
 * every client closed after its test.
 */

import type { CleaveError } from '../cleave-error.js';
import { type CleaveClient, createClient } from '../client.js';
import type { CleaveClientOptions } from '../client-options.js';
import { type ContractServer, TEST_SDK_KEY } from './contract-server.js';

/** Timings small enough for tests, large enough for a loaded two-core machine. */
export const FAST: Partial<CleaveClientOptions> = {
  readyTimeoutMs: 5_000,
  requestTimeoutMs: 3_000,
  pollingIntervalMs: 100,
  streamIdleTimeoutMs: 2_000,
  streamRetry: { initialDelayMs: 20, maxDelayMs: 200, pollingFallbackAfter: 3 },
  events: { flushIntervalMs: 100, retryInitialDelayMs: 20, retryMaxDelayMs: 100, closeTimeoutMs: 3_000 },
};

export interface TestClient {
  readonly client: CleaveClient;
  readonly errors: CleaveError[];
}

export class TestClients {
  readonly #clients: CleaveClient[] = [];

  create(server: ContractServer | string, options: Partial<CleaveClientOptions> = {}): TestClient {
    const apiHost = typeof server === 'string' ? server : server.url;
    const client = createClient({
      sdkKey: TEST_SDK_KEY,
      apiHost,
      ...FAST,
      ...options,
      events: { ...FAST.events, ...options.events },
    });
    const errors: CleaveError[] = [];
    client.on('error', (error) => errors.push(error));
    this.#clients.push(client);
    return { client, errors };
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.#clients.splice(0).map((client) => client.close()));
  }
}
