import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileRegex, MAX_PROGRAM_SIZE, RegexSyntaxError } from './regex.js';

/** The engine's answer, asserting on the way that the search stayed within its linear bound. */
function search(pattern: string, input: string): boolean {
  const regex = compileRegex(pattern);
  const matched = regex.test(input);
  expect(regex.lastSteps).toBeLessThanOrEqual(2 * regex.programSize * (input.length + 1));
  return matched;
}

describe('compileRegex: supported syntax, with the answers of RegExp', () => {
  it.each([
    ['abc', 'xabcx', true],
    ['abc', 'ab', false],
    ['^abc', 'xabc', false],
    ['abc$', 'abcx', false],
    ['^$', '', true],
    ['a.c', 'a\nc', false],
    ['a.c', 'a\u00e9c', true],
    ['[a-c]x', 'bx', true],
    ['[^a-c]x', 'bx', false],
    ['[-a]', '-', true],
    ['[a-]', '-', true],
    ['[\\]]', ']', true],
    ['[]', 'a', false],
    ['[^]', '\n', true],
    ['\\d+', 'ab12', true],
    ['^\\D+$', 'ab1', false],
    ['^\\w+$', 'a_Z9', true],
    ['\\W', 'abc', false],
    ['\\s', 'a\u00a0b', true],
    ['\\S', ' \t\n', false],
    ['\\bcat\\b', 'a cat!', true],
    ['\\bcat\\b', 'concat', false],
    ['\\Bcat', 'concat', true],
    ['(?:ab)+$', 'xabab', true],
    ['^(a|bc)*d$', 'abcad', true],
    ['^a{3}$', 'aaa', true],
    ['^a{3}$', 'aaaa', false],
    ['^a{2,}$', 'a', false],
    ['^a{2,3}$', 'aaa', true],
    ['^a{2,3}?$', 'aaaa', false],
    ['^a*?b', 'aab', true],
    ['\\x41\\u00e9', 'A\u00e9', true],
    ['\\t\\n\\r\\f\\v\\0', '\t\n\r\f\v\0', true],
    ['\\.\\*\\+\\?\\(\\)\\[\\]\\{\\}\\|\\^\\$\\\\\\/\\-', '.*+?()[]{}|^$\\/-', true],
    ['a}]', 'a}]', true],
    ['^.$', '\ud83d\ude00', false],
    ['^..$', '\ud83d\ude00', true],
    ['()|x', '', true],
  ])('%s on %j is %s', (pattern, input, expected) => {
    expect(search(pattern, input)).toBe(expected);
    expect(new RegExp(pattern).test(input)).toBe(expected);
  });

  it.each([
    ['(a)\\1', /backreference/],
    ['\\k<a>', /backreference/],
    ['(?=a)', /lookaround/],
    ['(?!a)', /lookaround/],
    ['(?<=a)', /lookaround/],
    ['(?<n>a)', /named group/],
    ['(?i)a', /unsupported group/],
    ['\\p{L}', /unsupported escape/],
    ['\\cA', /unsupported escape/],
    ['\\q', /unsupported escape/],
    ['\\01', /octal/],
    ['\\u{41}', /incomplete \\u escape/],
    ['\\x4', /incomplete \\x escape/],
    ['a\\', /lone backslash/],
    ['[\\b]', /inside \[\.\.\.\]/],
    ['[\\d-z]', /class escape/],
    ['[z-a]', /out of order/],
    ['[a', /unterminated \[/],
    ['(a', /unterminated group/],
    ['a)', /unmatched/],
    ['a**', /nothing to repeat/],
    ['a{2}{3}', /nothing to repeat/],
    ['+a', /nothing to repeat/],
    ['{2}', /nothing to repeat/],
    ['^*', /anchor/],
    ['\\b+', /anchor/],
    ['a{', /write \\\{/],
    ['a{,3}', /write \\\{/],
    ['a{3,1}', /greater than/],
    ['a{1001}', /more than 1000/],
    [`(?:a{1000}){${Math.ceil(MAX_PROGRAM_SIZE / 1000) + 1}}`, /too large/],
  ])('refuses %s', (pattern, reason) => {
    expect(() => compileRegex(pattern)).toThrow(RegexSyntaxError);
    expect(() => compileRegex(pattern)).toThrow(reason);
  });
});

// Patterns generated from the supported grammar, small enough for RegExp to backtrack through.
const leaf = fc.constantFrom(
  'a',
  'b',
  'c',
  'A',
  '1',
  '-',
  ' ',
  'é',
  '\\.',
  '.',
  '\\d',
  '\\D',
  '\\w',
  '\\W',
  '\\s',
  '\\S',
  '\\n',
  '\\u00a0',
  '\\x41',
  '[ab]',
  '[^a]',
  '[a-c1]',
  '[\\d_]',
  '[^\\s]',
  '[-.]',
);
const assertion = fc.constantFrom('^', '$', '\\b', '\\B');
const quantifier = fc.constantFrom('*', '+', '?', '{2}', '{0,2}', '{1,}', '*?', '+?', '??', '{1,2}?');
const { pattern } = fc.letrec<{ pattern: string; term: string; atom: string }>((tie) => ({
  pattern: fc.oneof(
    { weight: 3, arbitrary: tie('term') },
    fc.array(tie('term'), { minLength: 2, maxLength: 3 }).map((options) => options.join('|')),
  ),
  term: fc
    .array(fc.oneof({ weight: 4, arbitrary: tie('atom') }, assertion), { minLength: 0, maxLength: 4 })
    .map((atoms) => atoms.join('')),
  atom: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 4, arbitrary: leaf },
    fc.tuple(leaf, quantifier).map(([item, q]) => item + q),
    fc
      .tuple(fc.constantFrom('(', '(?:'), tie('pattern'), fc.option(quantifier, { nil: '' }))
      .map(([open, inner, q]) => `${open}${inner})${q}`),
  ),
}));
const input = fc
  .array(
    fc.constantFrom('a', 'b', 'c', 'A', '1', '_', '-', '.', ' ', '\n', 'é', '\u00a0', '\u2028', '\ud83d'),
    { maxLength: 8 },
  )
  .map((units) => units.join(''));

describe('compileRegex: same answers as RegExp (property tests)', () => {
  it('agrees with RegExp on generated patterns and inputs', () => {
    fc.assert(
      fc.property(pattern, fc.array(input, { minLength: 1, maxLength: 6 }), (source, inputs) => {
        const native = new RegExp(source);
        for (const text of inputs)
          expect(search(source, text), `${source} on ${JSON.stringify(text)}`).toBe(native.test(text));
      }),
      { numRuns: 3000 },
    );
  });

  it('accepts only patterns RegExp accepts, and then agrees with it', () => {
    const metaText = fc
      .array(
        fc.constantFrom(
          'a',
          'b',
          '1',
          '(',
          ')',
          '[',
          ']',
          '{',
          '}',
          '|',
          '*',
          '+',
          '?',
          '.',
          '^',
          '$',
          '\\',
          '-',
          ',',
          '2',
          'd',
          'b',
          'B',
          'x',
          'u',
          ':',
          '=',
          '<',
          'k',
        ),
        { maxLength: 10 },
      )
      .map((units) => units.join(''));
    fc.assert(
      fc.property(metaText, fc.array(input, { minLength: 1, maxLength: 4 }), (source, inputs) => {
        let regex: ReturnType<typeof compileRegex>;
        try {
          regex = compileRegex(source);
        } catch (error) {
          expect(error).toBeInstanceOf(RegexSyntaxError);
          return;
        }
        const native = new RegExp(source);
        for (const text of inputs)
          expect(regex.test(text), `${source} on ${JSON.stringify(text)}`).toBe(native.test(text));
      }),
      { numRuns: 5000 },
    );
  });
});

// Known catastrophic patterns for backtracking engines, each with an input family that triggers
// the blow-up: short inputs check the answer against RegExp, 100,000-character ones check that
// the engine's step count stays within its linear bound.
const CATASTROPHIC: readonly [pattern: string, adversarial: (n: number) => string][] = [
  ['(a+)+$', (n) => `${'a'.repeat(n)}!`],
  ['^(a+)+$', (n) => `${'a'.repeat(n)}!`],
  ['(a|a)*b', (n) => 'a'.repeat(n)],
  ['(a|aa)+$', (n) => `${'a'.repeat(n)}!`],
  ['(a|a?)+$', (n) => `${'a'.repeat(n)}!`],
  ['(.*a){12}', (n) => `${'a'.repeat(11)}${'x'.repeat(n)}`],
  ['([a-z]+)*$', (n) => `${'a'.repeat(n)}!`],
  ['([a-zA-Z]+)*$', (n) => `${'a'.repeat(n)}1`],
  ['(\\w+\\s?)*$', (n) => `${'a'.repeat(n)}!`],
  ['^(([a-z])+.)+[A-Z]([a-z])+$', (n) => `${'a'.repeat(n)}!`],
  ['(x+x+)+y', (n) => 'x'.repeat(n)],
  ['^(\\d+)*$', (n) => `${'1'.repeat(n)}x`],
  ['\\s+$', (n) => `${' '.repeat(n)}x`],
  ['^(a?){25}a{25}$', (n) => 'a'.repeat(Math.min(n, 24))],
  // Email validation (OWASP ReDoS list).
  [
    '^([a-zA-Z0-9])(([\\-.]|[_]+)?([a-zA-Z0-9]+))*(@){1}[a-z0-9]+[.]{1}(([a-z]{2,3})|([a-z]{2,3}[.]{1}[a-z]{2,3}))$',
    (n) => `${'a'.repeat(n)}!`,
  ],
  // URL / host validation shapes.
  ['^(https?://)?([\\w-]+\\.)+[\\w-]+(/[\\w\\-./?%&=]*)?$', (n) => `http://${'a.'.repeat(n / 2)}!`],
  ['^([\\w.-]+)+@([\\w-]+\\.)+[a-z]{2,}$', (n) => `${'a'.repeat(n)}@`],
  ['^(\\w+(-\\w+)*)+\\.com$', (n) => `${'a-'.repeat(n / 2)}!`],
];

describe('compileRegex: linear on known catastrophic patterns', () => {
  it.each(CATASTROPHIC)('%s: same answer as RegExp on short inputs', (source, adversarial) => {
    for (const n of [0, 1, 2, 5, 12]) {
      const text = adversarial(n);
      expect(search(source, text), JSON.stringify(text)).toBe(new RegExp(source).test(text));
    }
  });

  it.each(CATASTROPHIC)(
    '%s: steps within 2 × program × input on 100,000 characters',
    (source, adversarial) => {
      const regex = compileRegex(source);
      const text = adversarial(100_000);
      regex.test(text);
      expect(regex.lastSteps).toBeGreaterThan(0);
      expect(regex.lastSteps).toBeLessThanOrEqual(2 * regex.programSize * (text.length + 1));
      // And the cost grows linearly: doubling the input at most doubles the steps (plus the constant).
      const half = adversarial(50_000);
      regex.test(half);
      const halfSteps = regex.lastSteps;
      regex.test(text);
      expect(regex.lastSteps).toBeLessThanOrEqual(2 * halfSteps + 4 * regex.programSize);
    },
  );
});

describe('Regex.test', () => {
  it('is reusable: repeated and interleaved searches do not leak state', () => {
    const regex = compileRegex('^(ab|a)c$');
    const answers = ['abc', 'ac', 'abbc', 'abc', '', 'ac'].map((text) => regex.test(text));
    expect(answers).toEqual([true, true, false, true, false, true]);
  });

  it('stops at the first position where a match is certain', () => {
    const regex = compileRegex('a');
    regex.test(`a${'b'.repeat(100_000)}`);
    expect(regex.lastSteps).toBeLessThan(10);
  });

  it('skips ahead to units that can begin a match, without missing matches behind assertions', () => {
    const regex = compileRegex('Android|iPhone');
    expect(regex.test(`${'x'.repeat(10_000)}iPhone`)).toBe(true);
    expect(regex.lastSteps).toBeLessThan(10_000 + 100);
    expect(compileRegex('\\bcat$').test('a cat')).toBe(true);
    expect(compileRegex('\\bcat$').test('acat')).toBe(false);
    expect(compileRegex('x*$').test('abc')).toBe(true);
    expect(compileRegex('(?:^|-)b').test('a-b')).toBe(true);
  });

  it('stops an anchored pattern as soon as no thread survives', () => {
    const regex = compileRegex('^ab');
    regex.test(`x${'b'.repeat(100_000)}`);
    expect(regex.lastSteps).toBeLessThan(10);
  });
});
