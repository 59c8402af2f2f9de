import { describe, expect, it } from 'vitest';
import { checkRegexPattern, MAX_PATTERN_LENGTH } from './check-regex-pattern.js';

describe('checkRegexPattern', () => {
  it.each([
    '^user-\\d+$',
    '@(cleave|example)\\.dev$',
    '^[a-z]{2,}$',
    '(ab)+c',
    '(a|b)*',
    '[(+*)]+',
    '\\(a+\\)+',
    // Catastrophic for a backtracking engine, linear for Cleave's: accepted.
    '(a+)+$',
    '(\\w+\\s?)*$',
  ])('accepts %s', (pattern) => {
    expect(checkRegexPattern(pattern)).toBeUndefined();
  });

  it.each([
    ['(a)\\1', /backreference/],
    ['(?<n>a)\\k<n>', /named group/],
    ['a\\k', /backreference/],
    ['(?=a)', /lookaround/],
    ['(?<!a)b', /lookaround/],
    ['\\p{L}', /unsupported escape \\p/],
    ['a{2000}', /more than 1000 times/],
    ['(?:a{1000}){3}', /too large/],
    ['a{', /write \\\{/],
    ['[', /unterminated/],
    ['a)', /unmatched/],
    ['*a', /nothing to repeat/],
  ])('rejects %s', (pattern, reason) => {
    expect(checkRegexPattern(pattern)).toMatch(reason);
  });

  it('rejects patterns longer than MAX_PATTERN_LENGTH', () => {
    expect(checkRegexPattern('a'.repeat(MAX_PATTERN_LENGTH + 1))).toMatch(/at most/);
  });
});
