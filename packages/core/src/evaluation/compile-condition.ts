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
  readonly scalar: ConditionScalar | undefined;
  readonly next: CompiledCondition | null;
  /** JSON Pointer of the condition inside its rule's flag or its segment (for traces). */
  readonly path: string;
  readonly attribute: AttributePath;
  /** The value as written, for traces. */
  readonly expected: ConditionScalar | readonly ConditionScalar[] | undefined;
  /**
   * `in`/`not_in` values: a short list as an array (a scan of a few values is cheaper than a hash
   * lookup, profiled in bench/evaluation), a longer one as a set; the other is `null`.
   */
  readonly list: readonly ConditionScalar[] | null;
  readonly set: ReadonlySet<ConditionScalar> | null;
  readonly regex: Regex | null;
  /** Order operators: the number, or the date in epoch ms. */
  readonly number: number;
  readonly isDate: boolean;
  readonly semver: Semver | null;
}

export interface GroupNode {
  readonly kind: 'all' | 'any';
  /** The first child; the others follow through `next` (matching's way, see `next`). */
  readonly first: CompiledCondition | null;
  readonly next: CompiledCondition | null;
  readonly path: string;
  readonly children: readonly CompiledCondition[];
}

export interface NotNode {
  readonly kind: 'not';
  readonly child: CompiledCondition;
  readonly next: CompiledCondition | null;
  readonly path: string;
}

export interface SegmentNode {
  readonly kind: 'segment';
  readonly child: CompiledCondition;
  readonly next: CompiledCondition | null;
  readonly path: string;
  readonly segmentKey: string;
}

/**
 * A compiled condition. `next` is the node's next sibling in the list it was compiled in (a
 * group's children, or a rule's or segment's conditions), `null` for the last: matching walks
 * siblings through it rather than through the `children` array, because with many flags
 * evaluation is bound by memory latency (README, Benchmarks) and an array is two more objects
 * (the array and its elements) to wait for. `children` stays for traces. A segment node's
 * `child` holds the segment's conditions, shared by every rule naming it; their paths are
 * relative to the segment.
 */
export type CompiledCondition = AttributeNode | GroupNode | NotNode | SegmentNode;

/** Why a rule or segment cannot be compiled; turns the rule into a broken rule. */
export class ConditionCompileError extends Error {}

/** Resolves a segment reference to its compiled conditions (throws for unknown or cyclic ones). */
export type SegmentResolver = (segmentKey: string) => CompiledCondition;

/** Longest `in`/`not_in` list matched by a scan rather than a set lookup. */
const SHORT_LIST_LENGTH = 8;

/**
 * Builds an attribute test. Its attribute and value passed the payload checks
 * (model/payload-shape.ts) before any compiling, so only what they cannot promise is checked here:
 * the pattern engine may refuse a pattern it was not installed to check.
 */
function compileAttribute(condition: Extract<Condition, { attribute: string }>, path: string): AttributeNode {
  const name = condition.attribute;
  const value = 'value' in condition ? condition.value : undefined;
  let scalar: ConditionScalar | undefined;
  let list: ConditionScalar[] | null = null;
  let set: Set<ConditionScalar> | null = null;
  let regex: Regex | null = null;
  let number = Number.NaN;
  let isDate = false;
  let semver: Semver | null = null;
  switch (condition.operator) {
    case 'in':
    case 'not_in':
      set = new Set(condition.value);
      if (set.size <= SHORT_LIST_LENGTH) {
        list = [...set];
        set = null;
      }
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
      break;
    case 'semver_eq':
    case 'semver_neq':
    case 'semver_gt':
    case 'semver_gte':
    case 'semver_lt':
    case 'semver_lte':
      semver = parseSemver(condition.value) ?? null;
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
    next: null,
    list,
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
  if ('all' in condition) return groupNode('all', path, condition.all, `${path}/all/`, resolveSegment);
  if ('any' in condition) return groupNode('any', path, condition.any, `${path}/any/`, resolveSegment);
  if ('not' in condition) {
    const child = compileCondition(condition.not, `${path}/not`, resolveSegment);
    return { kind: 'not', child, next: null, path };
  }
  const child = resolveSegment(condition.segment);
  return { kind: 'segment', child, next: null, path, segmentKey: condition.segment };
}

/** Compiles `conditions` in order (so the first error found is the first condition's), linked. */
function compileSiblings(
  conditions: readonly Condition[],
  pathPrefix: string,
  resolveSegment: SegmentResolver,
): CompiledCondition[] {
  const children = conditions.map((condition, i) =>
    compileCondition(condition, `${pathPrefix}${i}`, resolveSegment),
  );
  // Each node is new and belongs to this list alone (a segment's shared conditions sit behind
  // its segment node's `child`), so linking cannot join two lists.
  for (let i = 0; i + 1 < children.length; i++) {
    (children[i] as { next: CompiledCondition | null }).next = children[i + 1] ?? null;
  }
  return children;
}

function groupNode(
  kind: 'all' | 'any',
  path: string,
  conditions: readonly Condition[],
  pathPrefix: string,
  resolveSegment: SegmentResolver,
): GroupNode {
  const children = compileSiblings(conditions, pathPrefix, resolveSegment);
  return { kind, first: children[0] ?? null, next: null, path, children };
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
  if (conditions.length === 1) return compileSiblings(conditions, `${path}/`, resolveSegment)[0] ?? null;
  return groupNode('all', path, conditions, `${path}/`, resolveSegment);
}

/**
 * The conditions a rule's compiled `condition` requires all of, as a linked list (see
 * `CompiledCondition`): an `all` group's children, else the condition itself; `null` for none.
 */
export function conjunctsOf(condition: CompiledCondition | null): CompiledCondition | null {
  if (condition === null) return null;
  return condition.kind === 'all' ? condition.first : condition;
}
