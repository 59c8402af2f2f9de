import { OpenFeature, ProviderEvents, ProviderStatus } from '@openfeature/web-sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ContractServer, TEST_SDK_KEY } from '../test-support/contract-server.js';
import {
  dependentFlag,
  EXPERIMENT_FLAG,
  OVERRIDDEN_UNIT,
  payloadOf,
  stringFlag,
  switchFlag,
} from '../test-support/payloads.js';
import { FAST } from '../test-support/test-clients.js';
import { waitFor } from '../test-support/wait-for.js';
import { CleaveWebProvider } from './web-provider.js';

let server: ContractServer;

beforeEach(async () => {
  server = await ContractServer.start(payloadOf(1));
});

afterEach(async () => {
  await OpenFeature.close();
  await OpenFeature.setContext({});
  await server.stop();
});

describe('CleaveWebProvider', () => {
  it('evaluates synchronously with the context set through OpenFeature.setContext', async () => {
    await OpenFeature.setContext({ targetingKey: 'u1' });
    const provider = new CleaveWebProvider({ sdkKey: TEST_SDK_KEY, apiHost: server.url, ...FAST });
    await OpenFeature.setProviderAndWait(provider);
    const client = OpenFeature.getClient();
    expect(client.providerStatus).toBe(ProviderStatus.READY);
    expect(client.getStringValue('button-color', 'none')).toBe('blue');
    const inExperiment = client.getBooleanDetails(EXPERIMENT_FLAG, false);
    expect(inExperiment.reason).toBe('SPLIT');

    const reconciling: unknown[] = [];
    client.addHandler(ProviderEvents.Reconciling, () => {
      reconciling.push(true);
    });
    await OpenFeature.setContext({ targetingKey: OVERRIDDEN_UNIT });
    expect(client.getBooleanDetails(EXPERIMENT_FLAG, false)).toMatchObject({
      value: true,
      reason: 'TARGETING_MATCH',
    });
    expect(reconciling).toEqual([]);

    await provider.client.flush();
    expect(server.events).toEqual([expect.objectContaining({ type: 'exposure', unitId: 'u1' })]);
  });

  it('emits PROVIDER_CONFIGURATION_CHANGED when the configuration changes', async () => {
    await OpenFeature.setProviderAndWait(
      new CleaveWebProvider({ sdkKey: TEST_SDK_KEY, apiHost: server.url, ...FAST }),
    );
    const client = OpenFeature.getClient();
    const changes: string[][] = [];
    client.addHandler(ProviderEvents.ConfigurationChanged, (details) => {
      changes.push(details?.flagsChanged ?? []);
    });
    await waitFor(() => server.openStreams === 1);
    server.publish(payloadOf(2, [stringFlag('green')]));
    await waitFor(() => changes.length === 1);
    expect(changes[0]).toContain('button-color');
    expect(client.getStringValue('button-color', 'none')).toBe('green');
  });

  it('is ready at once from a bootstrap payload, with no network', async () => {
    const provider = new CleaveWebProvider({
      sdkKey: TEST_SDK_KEY,
      offline: true,
      bootstrap: payloadOf(1, [stringFlag('boot')]),
    });
    await OpenFeature.setProviderAndWait(provider);
    expect(OpenFeature.getClient().getStringValue('button-color', 'none')).toBe('boot');
    expect(server.configRequests).toEqual([]);
  });

  it('reports a failed prerequisite with the custom reason PREREQUISITE_FAILED', async () => {
    const provider = new CleaveWebProvider({
      sdkKey: TEST_SDK_KEY,
      offline: true,
      bootstrap: payloadOf(1, [switchFlag('base', false), dependentFlag('dependent', 'base')]),
    });
    await OpenFeature.setProviderAndWait(provider);
    expect(OpenFeature.getClient().getBooleanDetails('dependent', true)).toMatchObject({
      value: false,
      variant: 'off',
      reason: 'PREREQUISITE_FAILED',
      flagMetadata: { prerequisiteFailed: 'base' },
    });
  });
});
