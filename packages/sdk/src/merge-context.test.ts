import { describe, expect, it } from 'vitest';
import { mergeContext } from './evaluation-details.js';

describe('mergeContext', () => {
  it('overlays the call context on the client context, in a copy', () => {
    const base = { targetingKey: 'u1', country: 'NL' };
    const call = { plan: 'pro', country: 'DE' };
    const merged = mergeContext(base, call);
    expect(merged).toEqual({ targetingKey: 'u1', country: 'DE', plan: 'pro' });
    expect(merged).not.toBe(call);
    expect(base).toEqual({ targetingKey: 'u1', country: 'NL' });
  });

  it('copies the call context when the client has none, getters and hostile objects included', () => {
    const call = { targetingKey: 'u2', plan: 'pro' };
    const copy = mergeContext({}, call);
    expect(copy).toEqual(call);
    expect(copy).not.toBe(call);
    class Visitor {
      readonly targetingKey = 'u4';
      get plan(): string {
        return 'pro';
      }
    }
    expect(mergeContext({}, new Visitor())).toEqual({ targetingKey: 'u4' });
    const hostile = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('hostile context');
        },
      },
    );
    expect(() => mergeContext({}, hostile)).toThrow('hostile context');
  });

  it('ignores a call context that is not an object', () => {
    const base = { targetingKey: 'u3' };
    for (const garbage of [undefined, null, 'u', 42, ['x']]) expect(mergeContext(base, garbage)).toBe(base);
  });
});
