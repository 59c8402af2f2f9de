import { describe, expect, it } from 'vitest';
import { checkRegexPattern } from './check-regex-pattern.js';

describe('checkRegexPattern', () => {
  it.each([
    '^user-\\d+$',
    '@(cleave|example)\\.dev$',
    '^[a-z]{2,}$',
    '(ab)+c',
    '(a|b)*',
    '[(+*)]+',
    '\\(a+\\)+',
  ])('accepts %s', (pattern) => {
    expect(checkRegexPattern(pattern)).toBeUndefined();
  });

  it.each([
    ['(a+)+', /catastrophic/],
    ['(a*)*b', /catastrophic/],
    ['((ab)+c)+', /catastrophic/],
    ['(x{2,})+', /catastrophic/],
    ['(\\d+)*$', /catastrophic/],
    ['(a)\\1', /backreference/],
    ['(?<n>a)\\k<n>', /backreference/],
    ['[', /not a valid regular expression/],
  ])('rejects %s', (pattern, reason) => {
    expect(checkRegexPattern(pattern)).toMatch(reason);
  });
});
