import { describe, expect, it } from 'vitest';
import { ConfigStore } from './config-store.js';
import { payloadOf, stringFlag } from './test-support/payloads.js';

describe('ConfigStore', () => {
  it('refuses a malformed payload with the paths of its problems, keeping the last good one', () => {
    const store = new ConfigStore();
    expect(store.apply(payloadOf(1), 'fetch').kind).toBe('applied');
    const result = store.apply(
      { ...payloadOf(2), flags: [{ key: 'button-color', type: 'string' }] },
      'stream',
    );
    expect(result.kind).toBe('invalid');
    if (result.kind === 'invalid') {
      expect(result.error.code).toBe('invalid_payload');
      expect(result.error.message).toContain('stream payload refused');
      expect(result.error.details).toMatchObject({
        source: 'stream',
        issues: expect.arrayContaining([{ path: '/flags/0/variants', message: 'must be an array' }]),
      });
    }
    expect(store.version).toBe(1);
  });

  it('refuses, whole, a well-shaped payload that compiling finds invalid (a reference to no segment)', () => {
    const store = new ConfigStore();
    expect(store.apply(payloadOf(1), 'fetch').kind).toBe('applied');
    const flag = {
      ...stringFlag('x'),
      rules: [{ id: 'r', type: 'force' as const, variant: 'current', conditions: [{ segment: 'missing' }] }],
    };
    const result = store.apply(payloadOf(2, [flag]), 'fetch');
    expect(result.kind).toBe('invalid');
    if (result.kind === 'invalid') expect(JSON.stringify(result.error.details)).toContain('missing');
    expect(store.version).toBe(1);
    expect(store.apply(payloadOf(3, [stringFlag('y')]), 'fetch').kind).toBe('applied');
  });
});
