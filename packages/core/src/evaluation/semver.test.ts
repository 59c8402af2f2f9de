import { describe, expect, it } from 'vitest';
import { compareSemver, parseSemver } from './semver.js';

function compare(a: string, b: string): number {
  const left = parseSemver(a);
  const right = parseSemver(b);
  if (left === undefined || right === undefined) throw new Error(`invalid version in ${a} / ${b}`);
  return Math.sign(compareSemver(left, right));
}

describe('parseSemver', () => {
  it('parses full versions, pre-releases and build metadata', () => {
    expect(parseSemver('1.2.3')).toEqual({ major: 1, minor: 2, patch: 3, prerelease: [] });
    expect(parseSemver('v1.0.0-alpha.1+sha.5114f85')).toEqual({
      major: 1,
      minor: 0,
      patch: 0,
      prerelease: ['alpha', 1],
    });
  });

  it.each(['1.2', '1', '01.2.3', '1.2.3-', '1.2.3-01', 'a.b.c', '', ' 1.2.3'])('rejects %j', (text) => {
    expect(parseSemver(text)).toBeUndefined();
  });
});

describe('compareSemver', () => {
  // The precedence example of semver.org §11.4, in increasing order.
  const ordered = [
    '1.0.0-alpha',
    '1.0.0-alpha.1',
    '1.0.0-alpha.beta',
    '1.0.0-beta',
    '1.0.0-beta.2',
    '1.0.0-beta.11',
    '1.0.0-rc.1',
    '1.0.0',
    '1.0.1',
    '1.1.0',
    '2.0.0',
  ];

  it('orders the semver.org precedence example', () => {
    for (let i = 1; i < ordered.length; i++) {
      expect(compare(ordered[i - 1] ?? '', ordered[i] ?? '')).toBe(-1);
      expect(compare(ordered[i] ?? '', ordered[i - 1] ?? '')).toBe(1);
    }
  });

  it('treats versions differing only in build metadata as equal', () => {
    expect(compare('1.0.0+a', '1.0.0+b')).toBe(0);
  });
});
