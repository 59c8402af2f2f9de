import { afterEach, describe, expect, it } from 'vitest';
import type { CleaveError } from './cleave-error.js';
import { type CleaveClient, createClient } from './client.js';
import type { CleaveClientOptions } from './client-options.js';
import { TEST_SDK_KEY } from './test-support/contract-server.js';
import { EXPERIMENT_FLAG, FORCED_COUNTRY, payloadOf } from './test-support/payloads.js';

const open: CleaveClient[] = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((client) => client.close()));
});

function offlineClient(options: Partial<CleaveClientOptions> = {}): {
  client: CleaveClient;
  errors: CleaveError[];
} {
  const client = createClient({ sdkKey: TEST_SDK_KEY, offline: true, bootstrap: payloadOf(1), ...options });
  open.push(client);
  const errors: CleaveError[] = [];
  client.on('error', (error) => errors.push(error));
  return { client, errors };
}

/** The rule that decided `new-checkout` for a context: `forced` when its country is FORCED_COUNTRY. */
function ruleOf(client: CleaveClient, context?: Record<string, string>): unknown {
  return client.getBooleanDetails(EXPERIMENT_FLAG, false, context).flagMetadata.ruleId;
}

describe('the client context', () => {
  it('is one frozen empty context when none is given or an empty one is set, and merges under the call context', () => {
    const { client } = offlineClient();
    expect(client.getContext()).toEqual({});
    expect(Object.isFrozen(client.getContext())).toBe(true);
    expect(ruleOf(client, { targetingKey: 'u1', country: FORCED_COUNTRY })).toBe('forced');

    client.setContext({ targetingKey: 'u1', country: FORCED_COUNTRY });
    expect(Object.isFrozen(client.getContext())).toBe(false);
    expect(ruleOf(client)).toBe('forced');
    expect(ruleOf(client, { country: 'NL' })).not.toBe('forced');

    const emptied = client.getContext();
    client.setContext({});
    expect(client.getContext()).not.toBe(emptied);
    expect(Object.isFrozen(client.getContext())).toBe(true);
    expect(ruleOf(client, { targetingKey: 'u1' })).not.toBe('forced');

    // A context with only symbol keys is kept as given (no attribute can name them).
    const marker = Symbol('marker');
    client.setContext({ [marker]: 'kept' } as never);
    expect((client.getContext() as Record<symbol, unknown>)[marker]).toBe('kept');
    expect(ruleOf(client, { targetingKey: 'u1', country: FORCED_COUNTRY })).toBe('forced');
  });

  it("reads the application's own context object at every call, even when it starts empty", () => {
    const context: Record<string, string> = {};
    const { client } = offlineClient({ context });
    expect(ruleOf(client, { targetingKey: 'u1' })).not.toBe('forced');
    context.country = FORCED_COUNTRY;
    expect(ruleOf(client, { targetingKey: 'u1' })).toBe('forced');
    // Garbage instead of a context: the frozen empty one.
    expect(Object.isFrozen(offlineClient({ context: ['x'] as never }).client.getContext())).toBe(true);
  });

  it("serves the caller's default with GENERAL when reading the call context throws, whether or not the flag reads it", () => {
    const { client, errors } = offlineClient();
    const throwingGetter = Object.defineProperty({ targetingKey: 'u1' }, 'country', {
      enumerable: true,
      get() {
        throw new Error('getter failed');
      },
    });
    const hostile = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('hostile context');
        },
      },
    );
    for (const context of [throwingGetter, hostile]) {
      // `button-color` serves every unit alike; `new-checkout` reads the context.
      expect(client.getStringDetails('button-color', 'fallback', context as never)).toMatchObject({
        value: 'fallback',
        variant: undefined,
        reason: 'ERROR',
        errorCode: 'GENERAL',
      });
      expect(client.getBooleanDetails(EXPERIMENT_FLAG, true, context as never)).toMatchObject({
        value: true,
        reason: 'ERROR',
        errorCode: 'GENERAL',
      });
    }
    expect(errors.map((error) => error.code)).toEqual([
      'evaluation_failed',
      'evaluation_failed',
      'evaluation_failed',
      'evaluation_failed',
    ]);
    expect(errors[0]?.message).toContain('getter failed');
    expect(errors[2]?.message).toContain('hostile context');
    // A good context right after still evaluates.
    expect(client.getStringValue('button-color', 'fallback', { targetingKey: 'u1' })).toBe('blue');
  });

  it('serves the default with PROVIDER_NOT_READY before any configuration, without reading the context', () => {
    const client = createClient({ sdkKey: TEST_SDK_KEY, offline: true });
    open.push(client);
    const hostile = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('hostile context');
        },
      },
    );
    expect(client.getNumberDetails('max-items', 7, hostile as never)).toMatchObject({
      value: 7,
      errorCode: 'PROVIDER_NOT_READY',
    });
  });
});
