import { describe, expect, it } from 'vitest';
import { nestsDeeperThan } from './json-depth.js';

function nested(levels: number): unknown {
  let value: unknown = 1;
  for (let level = 0; level < levels; level++) value = level % 2 === 0 ? { a: value } : [value];
  return value;
}

describe('nestsDeeperThan', () => {
  it('counts levels of objects and arrays, scalars being none', () => {
    expect(nestsDeeperThan('text', 0)).toBe(false);
    expect(nestsDeeperThan(null, 0)).toBe(false);
    expect(nestsDeeperThan({}, 0)).toBe(true);
    expect(nestsDeeperThan({}, 1)).toBe(false);
    expect(nestsDeeperThan({ a: [1, { b: 2 }] }, 2)).toBe(true);
    expect(nestsDeeperThan({ a: [1, { b: 2 }] }, 3)).toBe(false);
    for (const levels of [1, 5, 32, 33, 64]) {
      expect(nestsDeeperThan(nested(levels), levels)).toBe(false);
      expect(nestsDeeperThan(nested(levels), levels - 1)).toBe(true);
    }
  });

  it('finds the deep branch among shallow ones, and survives depths that overflow recursion', () => {
    expect(
      nestsDeeperThan({ wide: Array.from({ length: 1_000 }, () => ({ x: 1 })), deep: nested(40) }, 32),
    ).toBe(true);
    expect(nestsDeeperThan(JSON.parse(`${'['.repeat(200_000)}${']'.repeat(200_000)}`), 64)).toBe(true);
  });
});
