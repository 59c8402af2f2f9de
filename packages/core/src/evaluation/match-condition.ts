/**
 * @module Matching compiled conditions against a context.
 *
 * Type mismatches are non-matches, never errors: a number attribute tested with `starts_with`,
 * an unparseable date or version, an object where a scalar was expected all simply do not match.
 * An absent or null attribute matches only `not_exists`.
 */
import type { AttributeNode, CompiledCondition } from './compile-condition.js';
import { type ContextValue, type EvaluationContext, readAttribute } from './context.js';
import { parseIsoDate } from './iso-date.js';
import { compareSemver, parseSemver } from './semver.js';

/**
 * Longest string (in UTF-16 code units) that `matches` examines; a longer one does not match.
 * Matching is linear, but program size × length still bounds one evaluation's cost.
 */
export const MAX_MATCHES_INPUT_LENGTH = 10_000;

/** One `typeof … ===` per type rather than a stored `typeof`, for V8 (see `asContextValue`). */
function isScalar(value: ContextValue): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/** Whether `value` is one of an `in`/`not_in` node's values (SameValueZero, as `Set#has`). */
function listed(node: AttributeNode, value: string | number | boolean): boolean {
  const list = node.list;
  if (list !== null) return list.includes(value);
  return node.set?.has(value) === true;
}

function orderOperand(node: AttributeNode, actual: ContextValue): number {
  if (typeof actual === 'number') return actual;
  if (node.isDate && typeof actual === 'string') return parseIsoDate(actual);
  return Number.NaN;
}

/** Whether the attribute value `actual` satisfies the attribute test `node`. */
export function matchAttribute(node: AttributeNode, actual: ContextValue | undefined): boolean {
  const absent = actual === undefined || actual === null;
  if (node.operator === 'exists') return !absent;
  if (node.operator === 'not_exists') return absent;
  if (absent) return false;
  switch (node.operator) {
    case 'eq':
      return isScalar(actual) && actual === node.scalar;
    case 'neq':
      return isScalar(actual) && actual !== node.scalar;
    case 'in':
    case 'not_in': {
      if (node.list === null && node.set === null) return false;
      let found: boolean;
      if (isScalar(actual)) {
        found = listed(node, actual);
      } else if (Array.isArray(actual)) {
        found = false;
        for (const element of actual) {
          if (isScalar(element) && listed(node, element)) {
            found = true;
            break;
          }
        }
      } else {
        return false;
      }
      return node.operator === 'in' ? found : !found;
    }
    case 'contains':
      if (typeof actual === 'string') return typeof node.scalar === 'string' && actual.includes(node.scalar);
      if (Array.isArray(actual)) return actual.includes(node.scalar);
      return false;
    case 'starts_with':
      return typeof actual === 'string' && typeof node.scalar === 'string' && actual.startsWith(node.scalar);
    case 'ends_with':
      return typeof actual === 'string' && typeof node.scalar === 'string' && actual.endsWith(node.scalar);
    case 'matches':
      return (
        typeof actual === 'string' &&
        actual.length <= MAX_MATCHES_INPUT_LENGTH &&
        node.regex?.test(actual) === true
      );
    case 'gt':
      return orderOperand(node, actual) > node.number;
    case 'gte':
      return orderOperand(node, actual) >= node.number;
    case 'lt':
      return orderOperand(node, actual) < node.number;
    case 'lte':
      return orderOperand(node, actual) <= node.number;
    default: {
      // semver_*
      if (typeof actual !== 'string' || node.semver === null) return false;
      const version = parseSemver(actual);
      if (version === undefined) return false;
      const order = compareSemver(version, node.semver);
      switch (node.operator) {
        case 'semver_eq':
          return order === 0;
        case 'semver_neq':
          return order !== 0;
        case 'semver_gt':
          return order > 0;
        case 'semver_gte':
          return order >= 0;
        case 'semver_lt':
          return order < 0;
        case 'semver_lte':
          return order <= 0;
        default:
          return false;
      }
    }
  }
}

/** Whether `context` satisfies the compiled condition `node`. Allocates nothing. */
export function matchCondition(node: CompiledCondition, context: EvaluationContext): boolean {
  switch (node.kind) {
    case 'attribute':
      return matchAttribute(node, readAttribute(context, node));
    case 'all':
      return matchAll(node.first, context);
    case 'any':
      for (let child = node.first; child !== null; child = child.next) {
        if (matchCondition(child, context)) return true;
      }
      return false;
    case 'not':
      return !matchCondition(node.child, context);
    case 'segment':
      return matchCondition(node.child, context);
  }
}

/** Whether `context` satisfies `first` and every sibling after it (`next`). Allocates nothing. */
export function matchAll(first: CompiledCondition | null, context: EvaluationContext): boolean {
  for (let node = first; node !== null; node = node.next) {
    // Attribute tests, the usual conjuncts, without the detour through matchCondition.
    const matched =
      node.kind === 'attribute'
        ? matchAttribute(node, readAttribute(context, node))
        : matchCondition(node, context);
    if (!matched) return false;
  }
  return true;
}
