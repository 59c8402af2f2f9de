import { EventNameSchema } from '@cleave/core';
import { describe, expect, it } from 'vitest';
import { isEventName } from './event-name.js';

describe('isEventName', () => {
  it('agrees with the server’s event name schema', () => {
    const samples: unknown[] = [
      'purchase',
      'checkout click',
      'ünïcödé 🎉',
      'a'.repeat(200),
      'a'.repeat(201),
      '',
      ' leading space',
      '\tleading tab',
      'line\nbreak',
      'nul\u0000',
      'del\u007f',
      42,
      null,
      undefined,
      ['purchase'],
    ];
    for (const sample of samples) {
      expect(isEventName(sample), JSON.stringify(sample)).toBe(EventNameSchema.safeParse(sample).success);
    }
  });
});
