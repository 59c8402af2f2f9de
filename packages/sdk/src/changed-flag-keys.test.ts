import { describe, expect, it } from 'vitest';
import { changedFlagKeys } from './changed-flag-keys.js';
import { numberFlag, payloadOf, stringFlag, switchFlag } from './test-support/payloads.js';

describe('changedFlagKeys', () => {
  it('lists every flag of a first payload', () => {
    expect(changedFlagKeys(undefined, payloadOf(1, [stringFlag(), numberFlag()]))).toEqual([
      'button-color',
      'max-items',
    ]);
  });

  it('lists edited, added and removed flags only', () => {
    const before = payloadOf(1, [stringFlag('blue'), numberFlag(10), switchFlag('gone', true)]);
    const after = payloadOf(2, [stringFlag('green'), numberFlag(10), switchFlag('new', true)]);
    expect(changedFlagKeys(before, after).sort()).toEqual(['button-color', 'gone', 'new']);
  });

  it('lists every flag when shared definitions change', () => {
    const before = payloadOf(1, [stringFlag(), numberFlag()]);
    const after = {
      ...payloadOf(2, [stringFlag(), numberFlag()]),
      segments: [{ key: 'beta', conditions: [{ attribute: 'beta', operator: 'eq' as const, value: true }] }],
    };
    expect(changedFlagKeys(before, after)).toEqual(['button-color', 'max-items']);
  });
});
