import { describe, expect, it } from 'vitest';
import { createClient } from './client.js';
import { TEST_SDK_KEY } from './test-support/contract-server.js';
import { dependentFlag, payloadOf, switchFlag } from './test-support/payloads.js';

describe('evaluation reasons in the SDK', () => {
  it('serves the off variant with reason PREREQUISITE_FAILED when a prerequisite fails, and evaluates normally when it passes', async () => {
    const client = createClient({
      sdkKey: TEST_SDK_KEY,
      offline: true,
      bootstrap: payloadOf(1, [
        switchFlag('base-off', false),
        switchFlag('base-on', true),
        dependentFlag('blocked', 'base-off'),
        dependentFlag('allowed', 'base-on'),
      ]),
    });
    try {
      expect(client.getBooleanDetails('blocked', true, { targetingKey: 'u1' })).toMatchObject({
        value: false,
        variant: 'off',
        reason: 'PREREQUISITE_FAILED',
        flagMetadata: { prerequisiteFailed: 'base-off' },
      });
      expect(client.getBooleanDetails('allowed', false, { targetingKey: 'u1' })).toMatchObject({
        value: true,
        reason: 'DEFAULT',
      });
    } finally {
      await client.close();
    }
  });
});
