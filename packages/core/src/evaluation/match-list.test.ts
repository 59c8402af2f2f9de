import { describe, expect, it } from 'vitest';
import type { Condition } from '../model/condition.js';
import { type AttributeNode, ConditionCompileError, compileCondition } from './compile-condition.js';
import type { EvaluationContext } from './context.js';
import { matchCondition } from './match-condition.js';

const noSegments = (key: string): never => {
  throw new ConditionCompileError(`unknown segment "${key}"`);
};

function compile(condition: Condition): AttributeNode {
  return compileCondition(condition, '/conditions/0', noSegments) as AttributeNode;
}

/** `count` values: `v0`, `v1`, … with the numbers 0 … and `true` mixed in. */
function values(count: number): (string | number | boolean)[] {
  return Array.from({ length: count }, (_, index) => (index === 1 ? 1 : index === 2 ? true : `v${index}`));
}

// Short lists are scanned, longer ones looked up in a set: both must answer alike.
describe.each([1, 3, 8, 9, 40])('in / not_in with %i values', (count) => {
  const list = values(count);
  const inList = compile({ attribute: 'a', operator: 'in', value: list });
  const notInList = compile({ attribute: 'a', operator: 'not_in', value: list });
  const cases: [string, EvaluationContext, boolean][] = [
    ['the first value', { a: 'v0' }, true],
    ['the last value', { a: list[count - 1] as string | number | boolean }, true],
    ['a value not listed', { a: 'other' }, false],
    ['a number only as a string', { a: '1' }, false],
    ['a listed number', { a: 1 }, count > 1],
    ['a listed boolean', { a: true }, count > 2],
    ['an array holding a listed value', { a: ['x', 'v0'] }, true],
    ['an array holding none', { a: ['x', 'y'] }, false],
  ];

  it.each(cases)('%s', (_name, context, listed) => {
    expect(matchCondition(inList, context)).toBe(listed);
    expect(matchCondition(notInList, context)).toBe(!listed);
  });

  it('matches neither way on an absent attribute or an object', () => {
    for (const context of [{}, { a: null }, { a: { v0: true } }] as EvaluationContext[]) {
      expect(matchCondition(inList, context)).toBe(false);
      expect(matchCondition(notInList, context)).toBe(false);
    }
  });

  it('keeps the values as written for traces', () => {
    expect(inList.expected).toEqual(list);
  });
});
