/**
 * @module Conditions compiled into matcher nodes: regexes built, lists turned into sets,
 * dates, numbers and versions parsed, attribute paths split, once per config version.
 */
import type { Condition, ConditionScalar, Operator } from '../model/condition.js';
import { type AttributePath, compileAttributePath } from './context.js';
import { parseIsoDate } from './iso-date.js';
import { compilePattern } from './regex/pattern-engine.js';
import type { Regex } from './regex/regex.js';
import { parseSemver, type Semver } from './semver.js';

/**
 * A test of one attribute. Every field exists on every node so that V8 sees a single shape. The
 * node is its own attribute path (`name`, `segments`), and the fields matching reads come first:
 * with many flags, evaluation is bound by memory latency, and each object or cache line it need
 * not visit is a wait saved (README, Benchmarks).
 */
export interface AttributeNode extends AttributePath {
  readonly kind: 'attribute';
  readonly operator: Operator;
  /** JSON Pointer of the condition inside its rule's flag or its segment (for traces). */
  readonly path: string;
  readonly attribute: AttributePath;
  /** The value as written, for traces. */
  readonly expected: ConditionScalar | readonly ConditionScalar[] | undefined;
  readonly scalar: ConditionScalar | undefined;
  readonly set: ReadonlySet<ConditionScalar> | null;
  readonly regex: Regex | null;
  /** Order operators: the number, or the date in epoch ms. */
  readonly number: number;
  readonly isDate: boolean;
  readonly semver: Semver | null;
}

export interface GroupNode {
  readonly kind: 'all' | 'any';
  readonly path: string;
  readonly children: readonly CompiledCondition[];
}

export interface NotNode {
  readonly kind: 'not';
  readonly path: string;
  readonly child: CompiledCondition;
}

export interface SegmentNode {
  readonly kind: 'segment';
  readonly path: string;
  readonly segmentKey: string;
  /** The segment's conditions; their paths are relative to the segment. */
  readonly child: CompiledCondition;
}

export type CompiledCondition = AttributeNode | GroupNode | NotNode | SegmentNode;

/** Why a rule or segment cannot be compiled; turns the rule into a broken rule. */
export class ConditionCompileError extends Error {}

/** Resolves a segment reference to its compiled conditions (throws for unknown or cyclic ones). */
export type SegmentResolver = (segmentKey: string) => CompiledCondition;

const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'prototype', 'constructor']);

function compileAttribute(condition: Extract<Condition, { attribute: string }>, path: string): AttributeNode {
  const name = condition.attribute;
  if (
    name.length === 0 ||
    name.split('.').some((segment) => segment === '' || FORBIDDEN_SEGMENTS.has(segment))
  ) {
    throw new ConditionCompileError(`invalid attribute name "${name}" at ${path}`);
  }
  const value = 'value' in condition ? condition.value : undefined;
  let scalar: ConditionScalar | undefined;
  let set: Set<ConditionScalar> | null = null;
  let regex: Regex | null = null;
  let number = Number.NaN;
  let isDate = false;
  let semver: Semver | null = null;
  switch (condition.operator) {
    case 'in':
    case 'not_in':
      set = new Set(condition.value);
      break;
    case 'matches': {
      const compiled = compilePattern(condition.value);
      if (typeof compiled === 'string')
        throw new ConditionCompileError(`invalid pattern at ${path}: ${compiled}`);
      regex = compiled;
      break;
    }
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      if (typeof condition.value === 'number') {
        number = condition.value;
      } else {
        number = parseIsoDate(condition.value);
        isDate = true;
      }
      if (Number.isNaN(number)) throw new ConditionCompileError(`invalid number or date at ${path}`);
      break;
    case 'semver_eq':
    case 'semver_neq':
    case 'semver_gt':
    case 'semver_gte':
    case 'semver_lt':
    case 'semver_lte':
      semver = parseSemver(condition.value) ?? null;
      if (semver === null) throw new ConditionCompileError(`invalid semantic version at ${path}`);
      break;
    case 'eq':
    case 'neq':
    case 'contains':
    case 'starts_with':
    case 'ends_with':
      scalar = condition.value;
      break;
    case 'exists':
    case 'not_exists':
      break;
  }
  const attribute = compileAttributePath(name);
  return {
    kind: 'attribute',
    name: attribute.name,
    segments: attribute.segments,
    operator: condition.operator,
    scalar,
    set,
    regex,
    number,
    isDate,
    semver,
    path,
    attribute,
    expected: value,
  };
}

/** Compiles one condition whose JSON Pointer is `path`. */
export function compileCondition(
  condition: Condition,
  path: string,
  resolveSegment: SegmentResolver,
): CompiledCondition {
  if ('attribute' in condition) return compileAttribute(condition, path);
  if ('all' in condition) {
    return {
      kind: 'all',
      path,
      children: condition.all.map((child, i) => compileCondition(child, `${path}/all/${i}`, resolveSegment)),
    };
  }
  if ('any' in condition) {
    return {
      kind: 'any',
      path,
      children: condition.any.map((child, i) => compileCondition(child, `${path}/any/${i}`, resolveSegment)),
    };
  }
  if ('not' in condition) {
    return { kind: 'not', path, child: compileCondition(condition.not, `${path}/not`, resolveSegment) };
  }
  return { kind: 'segment', path, segmentKey: condition.segment, child: resolveSegment(condition.segment) };
}

/**
 * Compiles a list of conditions that must all match, at `${path}/<index>`; `null` for an empty
 * list (matches every unit), the node itself for a single condition.
 */
export function compileConditionList(
  conditions: readonly Condition[] | undefined,
  path: string,
  resolveSegment: SegmentResolver,
): CompiledCondition | null {
  if (conditions === undefined || conditions.length === 0) return null;
  const children = conditions.map((condition, i) =>
    compileCondition(condition, `${path}/${i}`, resolveSegment),
  );
  if (children.length === 1) return children[0] ?? null;
  return { kind: 'all', path, children };
}
