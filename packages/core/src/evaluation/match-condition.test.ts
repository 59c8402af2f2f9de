import { describe, expect, it } from 'vitest';
import type { Condition } from '../model/condition.js';
import { ConditionCompileError, compileCondition } from './compile-condition.js';
import type { EvaluationContext } from './context.js';
import { MAX_MATCHES_INPUT_LENGTH, matchCondition } from './match-condition.js';
import { Regex } from './regex/regex.js';

const noSegments = (key: string): never => {
  throw new ConditionCompileError(`unknown segment "${key}"`);
};

function matches(condition: Condition, context: EvaluationContext): boolean {
  return matchCondition(compileCondition(condition, '/conditions/0', noSegments), context);
}

/** Each case: condition, context, expected. */
type Case = [string, Condition, EvaluationContext, boolean];

const cases: Case[] = [
  // eq / neq: strict, scalars only
  ['eq string', { attribute: 'country', operator: 'eq', value: 'NL' }, { country: 'NL' }, true],
  ['eq is case-sensitive', { attribute: 'country', operator: 'eq', value: 'NL' }, { country: 'nl' }, false],
  ['eq does not coerce "5" to 5', { attribute: 'age', operator: 'eq', value: 5 }, { age: '5' }, false],
  ['eq boolean', { attribute: 'beta', operator: 'eq', value: true }, { beta: true }, true],
  ['eq on an array attribute', { attribute: 'tags', operator: 'eq', value: 'a' }, { tags: ['a'] }, false],
  ['neq different value', { attribute: 'country', operator: 'neq', value: 'US' }, { country: 'NL' }, true],
  ['neq same value', { attribute: 'country', operator: 'neq', value: 'US' }, { country: 'US' }, false],
  ['neq on an absent attribute', { attribute: 'country', operator: 'neq', value: 'US' }, {}, false],
  ['neq on null', { attribute: 'country', operator: 'neq', value: 'US' }, { country: null }, false],
  [
    'neq on an object',
    { attribute: 'country', operator: 'neq', value: 'US' },
    { country: { code: 'NL' } },
    false,
  ],
  // in / not_in
  ['in scalar', { attribute: 'country', operator: 'in', value: ['NL', 'BE'] }, { country: 'BE' }, true],
  ['in scalar miss', { attribute: 'country', operator: 'in', value: ['NL', 'BE'] }, { country: 'DE' }, false],
  ['in is strict on types', { attribute: 'id', operator: 'in', value: [1, 2] }, { id: '1' }, false],
  [
    'in with an array attribute intersects',
    { attribute: 'roles', operator: 'in', value: ['admin'] },
    { roles: ['dev', 'admin'] },
    true,
  ],
  [
    'in with a disjoint array',
    { attribute: 'roles', operator: 'in', value: ['admin'] },
    { roles: ['dev'] },
    false,
  ],
  ['not_in scalar', { attribute: 'country', operator: 'not_in', value: ['US'] }, { country: 'NL' }, true],
  ['not_in hit', { attribute: 'country', operator: 'not_in', value: ['US'] }, { country: 'US' }, false],
  [
    'not_in with an array attribute',
    { attribute: 'roles', operator: 'not_in', value: ['banned'] },
    { roles: ['dev'] },
    true,
  ],
  [
    'not_in with an overlapping array',
    { attribute: 'roles', operator: 'not_in', value: ['banned'] },
    { roles: ['banned'] },
    false,
  ],
  ['not_in on an absent attribute', { attribute: 'country', operator: 'not_in', value: ['US'] }, {}, false],
  [
    'not_in on an object',
    { attribute: 'country', operator: 'not_in', value: ['US'] },
    { country: {} },
    false,
  ],
  // contains / starts_with / ends_with
  [
    'contains substring',
    { attribute: 'email', operator: 'contains', value: '@cleave' },
    { email: 'a@cleave.dev' },
    true,
  ],
  [
    'contains miss',
    { attribute: 'email', operator: 'contains', value: '@cleave' },
    { email: 'a@b.dev' },
    false,
  ],
  [
    'contains array element',
    { attribute: 'tags', operator: 'contains', value: 'vip' },
    { tags: ['new', 'vip'] },
    true,
  ],
  ['contains number element', { attribute: 'ids', operator: 'contains', value: 3 }, { ids: [1, 3] }, true],
  [
    'contains number in a string',
    { attribute: 'code', operator: 'contains', value: 5 },
    { code: 'a5' },
    false,
  ],
  ['contains on a number', { attribute: 'code', operator: 'contains', value: '5' }, { code: 15 }, false],
  [
    'starts_with',
    { attribute: 'path', operator: 'starts_with', value: '/admin' },
    { path: '/admin/users' },
    true,
  ],
  [
    'starts_with miss',
    { attribute: 'path', operator: 'starts_with', value: '/admin' },
    { path: '/home' },
    false,
  ],
  [
    'starts_with on a boolean',
    { attribute: 'path', operator: 'starts_with', value: 'true' },
    { path: true },
    false,
  ],
  [
    'ends_with',
    { attribute: 'email', operator: 'ends_with', value: '.dev' },
    { email: 'a@cleave.dev' },
    true,
  ],
  [
    'ends_with on an array',
    { attribute: 'email', operator: 'ends_with', value: '.dev' },
    { email: ['a.dev'] },
    false,
  ],
  // matches
  [
    'matches',
    { attribute: 'email', operator: 'matches', value: '^[a-z]+@cleave\\.dev$' },
    { email: 'ann@cleave.dev' },
    true,
  ],
  [
    'matches miss',
    { attribute: 'email', operator: 'matches', value: '^[a-z]+@cleave\\.dev$' },
    { email: 'Ann@cleave.dev' },
    false,
  ],
  ['matches on a number', { attribute: 'n', operator: 'matches', value: '^1' }, { n: 12 }, false],
  // gt / gte / lt / lte with numbers
  ['gt', { attribute: 'age', operator: 'gt', value: 18 }, { age: 19 }, true],
  ['gt equal', { attribute: 'age', operator: 'gt', value: 18 }, { age: 18 }, false],
  ['gte equal', { attribute: 'age', operator: 'gte', value: 18 }, { age: 18 }, true],
  ['lt', { attribute: 'age', operator: 'lt', value: 18 }, { age: 17.5 }, true],
  ['lte equal', { attribute: 'age', operator: 'lte', value: 18 }, { age: 18 }, true],
  [
    'gt does not coerce numeric strings',
    { attribute: 'age', operator: 'gt', value: 18 },
    { age: '19' },
    false,
  ],
  ['gt on a boolean', { attribute: 'age', operator: 'gt', value: 0 }, { age: true }, false],
  ['lt on NaN', { attribute: 'age', operator: 'lt', value: 18 }, { age: Number.NaN }, false],
  // dates
  [
    'date gt with ISO text',
    { attribute: 'signup', operator: 'gt', value: '2025-01-01' },
    { signup: '2025-01-02T00:00:00Z' },
    true,
  ],
  [
    'date lt with ISO text',
    { attribute: 'signup', operator: 'lt', value: '2025-01-01' },
    { signup: '2024-12-31' },
    true,
  ],
  [
    'date respects offsets',
    { attribute: 'at', operator: 'lt', value: '2025-01-01T00:00:00Z' },
    { at: '2025-01-01T00:30:00+01:00' },
    true,
  ],
  [
    'date with epoch ms',
    { attribute: 'at', operator: 'gte', value: '2025-01-01T00:00:00Z' },
    { at: Date.UTC(2025, 0, 1) },
    true,
  ],
  [
    'date with unparseable text',
    { attribute: 'at', operator: 'gt', value: '2025-01-01' },
    { at: 'yesterday' },
    false,
  ],
  [
    'date with an impossible day',
    { attribute: 'at', operator: 'gt', value: '2025-01-01' },
    { at: '2025-02-30' },
    false,
  ],
  [
    'number condition ignores date text',
    { attribute: 'at', operator: 'gt', value: 0 },
    { at: '2025-01-01' },
    false,
  ],
  // semver
  ['semver_eq', { attribute: 'v', operator: 'semver_eq', value: '1.2.3' }, { v: '1.2.3' }, true],
  [
    'semver_eq ignores build metadata',
    { attribute: 'v', operator: 'semver_eq', value: '1.2.3' },
    { v: '1.2.3+build.7' },
    true,
  ],
  [
    'semver_eq accepts a v prefix',
    { attribute: 'v', operator: 'semver_eq', value: '1.2.3' },
    { v: 'v1.2.3' },
    true,
  ],
  ['semver_neq', { attribute: 'v', operator: 'semver_neq', value: '1.2.3' }, { v: '1.2.4' }, true],
  [
    'semver_gt numeric not lexical',
    { attribute: 'v', operator: 'semver_gt', value: '1.9.0' },
    { v: '1.10.0' },
    true,
  ],
  [
    'semver_lt pre-release below release',
    { attribute: 'v', operator: 'semver_lt', value: '2.0.0' },
    { v: '2.0.0-rc.1' },
    true,
  ],
  [
    'semver_gt release above pre-release',
    { attribute: 'v', operator: 'semver_gt', value: '2.0.0-rc.1' },
    { v: '2.0.0' },
    true,
  ],
  ['semver_gte', { attribute: 'v', operator: 'semver_gte', value: '2.0.0' }, { v: '2.0.0' }, true],
  ['semver_lte', { attribute: 'v', operator: 'semver_lte', value: '2.0.0' }, { v: '1.99.99' }, true],
  [
    'semver on an invalid version',
    { attribute: 'v', operator: 'semver_gt', value: '1.0.0' },
    { v: '2.0' },
    false,
  ],
  [
    'semver_neq on an invalid version',
    { attribute: 'v', operator: 'semver_neq', value: '1.0.0' },
    { v: 'latest' },
    false,
  ],
  ['semver on a number', { attribute: 'v', operator: 'semver_gt', value: '1.0.0' }, { v: 2 }, false],
  // exists / not_exists
  ['exists', { attribute: 'email', operator: 'exists' }, { email: '' }, true],
  ['exists on null', { attribute: 'email', operator: 'exists' }, { email: null }, false],
  ['not_exists on absent', { attribute: 'email', operator: 'not_exists' }, {}, true],
  ['not_exists on null', { attribute: 'email', operator: 'not_exists' }, { email: null }, true],
  ['not_exists on present', { attribute: 'email', operator: 'not_exists' }, { email: 'x' }, false],
  // attribute paths
  [
    'dotted path',
    { attribute: 'user.address.country', operator: 'eq', value: 'NL' },
    { user: { address: { country: 'NL' } } },
    true,
  ],
  [
    'flat dotted key wins',
    { attribute: 'user.country', operator: 'eq', value: 'NL' },
    { 'user.country': 'NL', user: { country: 'BE' } },
    true,
  ],
  ['path through a scalar', { attribute: 'user.country', operator: 'exists' }, { user: 'ann' }, false],
  ['path through an array', { attribute: 'tags.length', operator: 'exists' }, { tags: ['a'] }, false],
  ['inherited members are not attributes', { attribute: 'toString', operator: 'exists' }, {}, false],
  [
    'targetingKey',
    { attribute: 'targetingKey', operator: 'starts_with', value: 'user-' },
    { targetingKey: 'user-1' },
    true,
  ],
  // combinators
  [
    'all',
    {
      all: [
        { attribute: 'a', operator: 'eq', value: 1 },
        { attribute: 'b', operator: 'eq', value: 2 },
      ],
    },
    { a: 1, b: 2 },
    true,
  ],
  [
    'all with one failing',
    {
      all: [
        { attribute: 'a', operator: 'eq', value: 1 },
        { attribute: 'b', operator: 'eq', value: 2 },
      ],
    },
    { a: 1, b: 3 },
    false,
  ],
  [
    'any',
    {
      any: [
        { attribute: 'a', operator: 'eq', value: 1 },
        { attribute: 'b', operator: 'eq', value: 2 },
      ],
    },
    { a: 0, b: 2 },
    true,
  ],
  ['any with none', { any: [{ attribute: 'a', operator: 'eq', value: 1 }] }, { a: 0 }, false],
  ['not', { not: { attribute: 'a', operator: 'eq', value: 1 } }, { a: 0 }, true],
  ['not of absent is true', { not: { attribute: 'country', operator: 'eq', value: 'US' } }, {}, true],
];

describe('matchCondition', () => {
  it.each(cases)('%s', (_name, condition, context, expected) => {
    expect(matches(condition, context)).toBe(expected);
  });

  it('never throws on hostile contexts', () => {
    const hostile: EvaluationContext[] = [
      {},
      { country: Symbol('x') as unknown as string },
      { country: (() => 'NL') as unknown as string },
      { country: 10n as unknown as string },
      { user: null },
      { tags: [null, {}, [], 1] },
    ];
    for (const condition of cases.map(([, c]) => c)) {
      for (const context of hostile) expect(() => matches(condition, context)).not.toThrow();
    }
  });

  it('builds a regex once per compile, with the linear-time engine rather than RegExp', () => {
    const node = compileCondition({ attribute: 'x', operator: 'matches', value: 'a' }, '/c', noSegments);
    expect(node.kind === 'attribute' && node.regex).toBeInstanceOf(Regex);
    for (let i = 0; i < 3; i++) expect(matchCondition(node, { x: 'a' })).toBe(true);
  });

  it('answers a catastrophic pattern on a long hostile input', () => {
    const node = compileCondition(
      { attribute: 'x', operator: 'matches', value: '^(a+)+$' },
      '/c',
      noSegments,
    );
    const hostile = `${'a'.repeat(MAX_MATCHES_INPUT_LENGTH - 1)}!`;
    expect(matchCondition(node, { x: hostile })).toBe(false);
    expect(matchCondition(node, { x: 'a'.repeat(MAX_MATCHES_INPUT_LENGTH) })).toBe(true);
  });

  it('does not match a string longer than MAX_MATCHES_INPUT_LENGTH', () => {
    const node = compileCondition({ attribute: 'x', operator: 'matches', value: 'a' }, '/c', noSegments);
    expect(matchCondition(node, { x: 'a'.repeat(MAX_MATCHES_INPUT_LENGTH + 1) })).toBe(false);
  });

  it('refuses to compile a pattern outside the supported subset, saying where', () => {
    expect(() =>
      compileCondition(
        { attribute: 'x', operator: 'matches', value: '(a)\\1' },
        '/rules/0/conditions/0',
        noSegments,
      ),
    ).toThrow(
      new ConditionCompileError(
        'invalid pattern at /rules/0/conditions/0: uses a backreference, which is not supported (it needs exponential time) (at offset 3)',
      ),
    );
  });
});
