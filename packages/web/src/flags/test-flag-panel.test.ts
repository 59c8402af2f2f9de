import { describe, expect, it } from 'vitest';
import { parseContext, traceLine } from './test-flag-panel.js';

describe('the test-this-flag panel', () => {
  it('accepts only a JSON object as the context', () => {
    expect(parseContext('{"targetingKey":"u1","age":3}')).toEqual({
      ok: true,
      context: { targetingKey: 'u1', age: 3 },
    });
    expect(parseContext('[1]')).toMatchObject({ ok: false, message: expect.stringContaining('JSON object') });
    expect(parseContext('{"a":')).toMatchObject({
      ok: false,
      message: expect.stringContaining('invalid JSON'),
    });
  });

  it('turns trace entries into lines, marking the rule that matched', () => {
    expect(traceLine({ kind: 'rule', ruleId: 'dutch', matched: true, message: 'matched' })).toEqual({
      text: 'Rule dutch: matched',
      matched: true,
    });
    expect(traceLine({ kind: 'default', message: 'no rule matched' })).toEqual({
      text: 'no rule matched',
      matched: false,
    });
  });
});
