/**
 * @module Why a condition did not match: the failing condition, its attribute and the value the
 * unit had. Only built when a trace is requested; plain evaluation uses matchCondition.
 */
import type { ConditionScalar, Operator } from '../model/condition.js';
import type { AttributeNode, CompiledCondition } from './compile-condition.js';
import { type ContextValue, type EvaluationContext, readAttribute } from './context.js';
import { MAX_MATCHES_INPUT_LENGTH, matchAttribute, matchCondition } from './match-condition.js';

/** The part of a condition tree that failed. Paths are JSON Pointers within the flag or segment. */
export type ConditionFailure =
  | {
      kind: 'attribute';
      path: string;
      attribute: string;
      operator: Operator;
      expected: ConditionScalar | readonly ConditionScalar[] | undefined;
      /** The unit's value; `undefined` when the attribute is absent. */
      actual: ContextValue | undefined;
      message: string;
    }
  | { kind: 'any'; path: string; failures: ConditionFailure[]; message: string }
  | { kind: 'not'; path: string; message: string }
  | { kind: 'segment'; path: string; segmentKey: string; failure: ConditionFailure; message: string };

/** Compact JSON for messages, cut short so a huge attribute cannot flood a trace. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'absent';
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

function attributeFailure(node: AttributeNode, actual: ContextValue | undefined): ConditionFailure {
  const condition =
    node.expected === undefined
      ? `${node.attribute.name} ${node.operator}`
      : `${node.attribute.name} ${node.operator} ${describeValue(node.expected)}`;
  const had = actual === undefined ? 'is absent' : `is ${describeValue(actual)}`;
  const why =
    node.operator === 'matches' && typeof actual === 'string' && actual.length > MAX_MATCHES_INPUT_LENGTH
      ? ` (${actual.length} characters: longer than the ${MAX_MATCHES_INPUT_LENGTH} that matches examines)`
      : '';
  return {
    kind: 'attribute',
    path: node.path,
    attribute: node.attribute.name,
    operator: node.operator,
    expected: node.expected,
    actual,
    message: `${condition} failed: ${node.attribute.name} ${had}${why}`,
  };
}

/** Why `node` does not match `context`, or `undefined` if it matches. */
export function explainCondition(
  node: CompiledCondition,
  context: EvaluationContext,
): ConditionFailure | undefined {
  switch (node.kind) {
    case 'attribute': {
      const actual = readAttribute(context, node.attribute);
      return matchAttribute(node, actual) ? undefined : attributeFailure(node, actual);
    }
    case 'all':
      for (const child of node.children) {
        const failure = explainCondition(child, context);
        if (failure !== undefined) return failure;
      }
      return undefined;
    case 'any': {
      const failures: ConditionFailure[] = [];
      for (const child of node.children) {
        const failure = explainCondition(child, context);
        if (failure === undefined) return undefined;
        failures.push(failure);
      }
      return {
        kind: 'any',
        path: node.path,
        failures,
        message: `none of ${failures.length} alternatives matched: ${failures.map((f) => f.message).join('; ')}`,
      };
    }
    case 'not': {
      if (!matchCondition(node.child, context)) return undefined;
      const child = node.child;
      const detail =
        child.kind === 'attribute'
          ? `${child.attribute.name} ${child.operator}${child.expected === undefined ? '' : ` ${describeValue(child.expected)}`} matched (${child.attribute.name} is ${describeValue(readAttribute(context, child.attribute))})`
          : `the condition at ${child.path} matched`;
      return { kind: 'not', path: node.path, message: `negated condition failed: ${detail}` };
    }
    case 'segment': {
      const failure = explainCondition(node.child, context);
      if (failure === undefined) return undefined;
      return {
        kind: 'segment',
        path: node.path,
        segmentKey: node.segmentKey,
        failure,
        message: `not in segment "${node.segmentKey}": ${failure.message}`,
      };
    }
  }
}
