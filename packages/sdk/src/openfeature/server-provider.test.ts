import { OpenFeature, ProviderEvents, ProviderStatus } from '@openfeature/server-sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createClient } from '../client.js';
import { ContractServer, TEST_SDK_KEY } from '../test-support/contract-server.js';
import { EXPERIMENT, EXPERIMENT_FLAG, payloadOf, stringFlag } from '../test-support/payloads.js';
import { FAST } from '../test-support/test-clients.js';
import { waitFor } from '../test-support/wait-for.js';
import { CleaveServerProvider } from './server-provider.js';

let server: ContractServer;

beforeEach(async () => {
  server = await ContractServer.start(payloadOf(1));
});

afterEach(async () => {
  await OpenFeature.close();
  await server.stop();
});

function provider(options: Partial<Parameters<typeof createClient>[0]> = {}): CleaveServerProvider {
  return new CleaveServerProvider({ sdkKey: TEST_SDK_KEY, apiHost: server.url, ...FAST, ...options });
}

describe('CleaveServerProvider', () => {
  it('evaluates through an OpenFeature client, with details, metadata and error codes', async () => {
    await OpenFeature.setProviderAndWait('evaluation', provider());
    const client = OpenFeature.getClient('evaluation');
    expect(client.providerStatus).toBe(ProviderStatus.READY);
    expect(await client.getBooleanValue('dark-mode', true, { targetingKey: 'u1' })).toBe(false);
    expect(await client.getStringValue('button-color', 'none')).toBe('blue');
    expect(await client.getNumberValue('max-items', 0)).toBe(10);
    expect(await client.getObjectValue('checkout-config', {})).toEqual({ limit: 3 });

    const details = await client.getBooleanDetails(EXPERIMENT_FLAG, false, {
      targetingKey: 'u1',
      signedUp: new Date(0),
    });
    expect(details.reason).toBe('SPLIT');
    expect(details.flagMetadata).toMatchObject({
      experimentKey: EXPERIMENT,
      inExperiment: true,
      ruleId: 'test',
    });
    expect(details.variant).toBe(details.value ? 'on' : 'off');

    const mismatch = await client.getNumberDetails('button-color', 5);
    expect(mismatch).toMatchObject({ value: 5, errorCode: 'TYPE_MISMATCH', reason: 'ERROR' });
    expect(await client.getStringDetails('missing', 'x')).toMatchObject({
      value: 'x',
      errorCode: 'FLAG_NOT_FOUND',
    });
  });

  it('emits PROVIDER_CONFIGURATION_CHANGED with the changed flags when the configuration changes', async () => {
    await OpenFeature.setProviderAndWait('changes', provider());
    const client = OpenFeature.getClient('changes');
    const changes: string[][] = [];
    client.addHandler(ProviderEvents.ConfigurationChanged, (details) => {
      changes.push(details?.flagsChanged ?? []);
    });
    await waitFor(() => server.openStreams === 1);
    server.publish(payloadOf(2, [stringFlag('green')]));
    await waitFor(() => changes.length === 1);
    expect(changes[0]?.sort()).toEqual([
      'button-color',
      'checkout-config',
      'dark-mode',
      'max-items',
      EXPERIMENT_FLAG,
    ]);
    expect(await client.getStringValue('button-color', 'none')).toBe('green');
  });

  it('reports stale while the server is unreachable and ready again when it returns', async () => {
    await OpenFeature.setProviderAndWait('stale', provider());
    const client = OpenFeature.getClient('stale');
    const events: string[] = [];
    client.addHandler(ProviderEvents.Stale, () => {
      events.push('stale');
    });
    await waitFor(() => server.openStreams === 1);
    client.addHandler(ProviderEvents.Ready, () => {
      events.push('ready');
    });
    const port = Number(new URL(server.url).port);
    await server.stop();
    await waitFor(() => client.providerStatus === ProviderStatus.STALE);
    expect(await client.getStringValue('button-color', 'none')).toBe('blue');
    await server.listen(port);
    await waitFor(() => client.providerStatus === ProviderStatus.READY, { timeoutMs: 15_000 });
    // A Ready handler added to a ready provider also runs once on its own: look at what followed.
    expect(events.filter((event) => event === 'stale')).toEqual(['stale']);
    expect(events.slice(-2)).toEqual(['stale', 'ready']);
  });

  it('fails initialisation without a configuration, serves defaults, and becomes ready when one arrives', async () => {
    server.configMode = 'error';
    server.streamMode = 'error';
    const cleave = provider({ readyTimeoutMs: 100 });
    await expect(OpenFeature.setProviderAndWait('late', cleave)).rejects.toThrow(/not ready \(timeout\)/);
    const client = OpenFeature.getClient('late');
    expect(client.providerStatus).toBe(ProviderStatus.ERROR);
    expect(await client.getBooleanDetails('dark-mode', true)).toMatchObject({
      value: true,
      errorCode: 'PROVIDER_NOT_READY',
    });
    server.configMode = 'ok';
    server.streamMode = 'ok';
    await waitFor(() => client.providerStatus === ProviderStatus.READY, { timeoutMs: 15_000 });
    expect(await client.getBooleanValue('dark-mode', true)).toBe(false);
  });

  it('sends exposures for OpenFeature evaluations and tracked events through track()', async () => {
    const cleave = provider();
    await OpenFeature.setProviderAndWait('events', cleave);
    const client = OpenFeature.getClient('events');
    await client.getBooleanValue(EXPERIMENT_FLAG, false, { targetingKey: 'u1' });
    client.track('purchase', { targetingKey: 'u1' }, { value: 12.5, plan: 'pro', at: new Date(0) });
    await cleave.client.flush();
    expect(server.events).toEqual([
      expect.objectContaining({ type: 'exposure', unitId: 'u1', experiment: EXPERIMENT }),
      expect.objectContaining({
        type: 'track',
        unitId: 'u1',
        event: 'purchase',
        value: 12.5,
        properties: { plan: 'pro', at: '1970-01-01T00:00:00.000Z' },
      }),
    ]);
  });

  it('closes a client it created, and leaves a client it was given open', async () => {
    const owned = provider();
    const given = createClient({ sdkKey: TEST_SDK_KEY, apiHost: server.url, ...FAST });
    await OpenFeature.setProviderAndWait('owned', owned);
    await OpenFeature.setProviderAndWait('given', new CleaveServerProvider(given));
    await OpenFeature.close();
    expect(owned.client.status).toBe('closed');
    expect(given.status).toBe('ready');
    await given.close();
  });
});
