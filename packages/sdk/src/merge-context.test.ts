import { describe, expect, it } from 'vitest';
import { mergeContext } from './evaluation-details.js';

describe('mergeContext', () => {
  it('uses a plain call context as it is when the client has none', () => {
    const context = { targetingKey: 'u1', plan: 'pro' };
    expect(mergeContext({}, context)).toBe(context);
  });

  it('overlays the call context on the client context, in a copy', () => {
    const base = { targetingKey: 'u1', country: 'NL' };
    const merged = mergeContext(base, { plan: 'pro', country: 'DE' });
    expect(merged).toEqual({ targetingKey: 'u1', country: 'DE', plan: 'pro' });
    expect(base).toEqual({ targetingKey: 'u1', country: 'NL' });
  });

  it('copies the own attributes of a context that is not a plain object', () => {
    class Visitor {
      readonly targetingKey = 'u2';
      get plan(): string {
        return 'pro';
      }
    }
    const visitor = new Visitor();
    const merged = mergeContext({}, visitor);
    expect(merged).not.toBe(visitor);
    expect(merged).toEqual({ targetingKey: 'u2' });
  });

  it('ignores a call context that is not an object', () => {
    const base = { targetingKey: 'u3' };
    for (const garbage of [undefined, null, 'u', 42, ['x']]) expect(mergeContext(base, garbage)).toBe(base);
  });
});
