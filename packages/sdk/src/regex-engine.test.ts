import { beforeEach, describe, expect, it, vi } from 'vitest';
import { payloadOf, stringFlag } from './test-support/payloads.js';

/**
 * Fresh module instances, in which core's regex engine is not installed yet (the test setup
 * installed it in the shared ones), as in a browser page that has not needed it so far.
 */
async function fresh() {
  vi.resetModules();
  const engine = await import('./regex-engine.js');
  const { createClient } = await import('./client.js');
  const core = await import('@cleave/core/evaluation');
  return { ...engine, createClient, isRegexEngineInstalled: core.isRegexEngineInstalled };
}

function regexPayload(version: number) {
  const flag = {
    ...stringFlag(),
    rules: [
      {
        id: 'staff',
        type: 'force' as const,
        variant: 'other',
        conditions: [{ attribute: 'email', operator: 'matches' as const, value: '@example\\.com$' }],
      },
    ],
  };
  return payloadOf(version, [flag]);
}

describe('loading the regex engine on demand', () => {
  beforeEach(() => {
    vi.resetModules();
  });

  it('is needed only by payloads with a `matches` condition, until it is installed', async () => {
    const sdk = await fresh();
    expect(sdk.isRegexEngineInstalled()).toBe(false);
    expect(sdk.needsRegexEngine(payloadOf(1))).toBe(false);
    expect(sdk.needsRegexEngine(regexPayload(1))).toBe(true);
    // Not serialisable: left to the compile step, which refuses an unchecked pattern.
    expect(sdk.needsRegexEngine({ version: 1n })).toBe(false);
    const loading = sdk.loadRegexEngine();
    expect(sdk.loadRegexEngine()).toBe(loading);
    await loading;
    expect(sdk.isRegexEngineInstalled()).toBe(true);
    expect(sdk.needsRegexEngine(regexPayload(1))).toBe(false);
  });

  it('a bootstrap with `matches` conditions is applied once the engine has loaded', async () => {
    const sdk = await fresh();
    const client = sdk.createClient({ sdkKey: 'sdk-key', offline: true, bootstrap: regexPayload(3) });
    const context = { targetingKey: 'u1', email: 'ann@example.com' };
    expect(client.status).toBe('not_ready');
    expect(client.getStringValue('button-color', 'none', context)).toBe('none');
    expect(await client.ready()).toBe('ready');
    expect(client.getStringValue('button-color', 'none', context)).toBe('other');
    expect(client.getStringValue('button-color', 'none', { ...context, email: 'bob@elsewhere.org' })).toBe(
      'blue',
    );
    await client.close();
  });

  it('after loadRegexEngine(), such a bootstrap is applied at once', async () => {
    const sdk = await fresh();
    await sdk.loadRegexEngine();
    const client = sdk.createClient({ sdkKey: 'sdk-key', offline: true, bootstrap: regexPayload(3) });
    expect(client.status).toBe('ready');
    expect(
      client.getStringValue('button-color', 'none', { targetingKey: 'u1', email: 'a@example.com' }),
    ).toBe('other');
    await client.close();
  });
});
