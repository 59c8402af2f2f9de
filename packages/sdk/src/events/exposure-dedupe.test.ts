import { describe, expect, it } from 'vitest';
import { ExposureDedupe } from './exposure-dedupe.js';

describe('ExposureDedupe', () => {
  it('reports each unit, experiment and variation once', () => {
    const seen = new ExposureDedupe(100);
    expect(seen.firstTime('u1', 'exp', 'control')).toBe(true);
    expect(seen.firstTime('u1', 'exp', 'control')).toBe(false);
    expect(seen.firstTime('u1', 'exp', 'treatment')).toBe(true);
    expect(seen.firstTime('u2', 'exp', 'control')).toBe(true);
    expect(seen.firstTime('u1', 'other', 'control')).toBe(true);
  });

  it('stays bounded, forgetting the least recently seen entry', () => {
    const seen = new ExposureDedupe(2);
    seen.firstTime('a', 'exp', 'v');
    seen.firstTime('b', 'exp', 'v');
    seen.firstTime('a', 'exp', 'v'); // a is now the most recent
    seen.firstTime('c', 'exp', 'v'); // evicts b
    expect(seen.size).toBe(2);
    expect(seen.firstTime('a', 'exp', 'v')).toBe(false);
    expect(seen.firstTime('b', 'exp', 'v')).toBe(true);
  });
});
