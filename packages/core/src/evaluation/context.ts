/**
 * @module The evaluation context (OpenFeature-shaped) and attribute lookup.
 */

/** A value a context attribute may hold. */
export type ContextValue =
  | string
  | number
  | boolean
  | null
  | readonly ContextValue[]
  | { readonly [key: string]: ContextValue | undefined };

/**
 * A unit's attributes. `targetingKey` identifies the unit (the default hash attribute);
 * nested objects are reached with dotted attribute names (`user.country`).
 */
export interface EvaluationContext {
  readonly targetingKey?: string;
  readonly [attribute: string]: ContextValue | undefined;
}

/** An attribute name compiled once: the name, and its dotted segments if it has any. */
export interface AttributePath {
  readonly name: string;
  readonly segments: readonly string[] | null;
}

export const TARGETING_KEY = 'targetingKey';

export function compileAttributePath(name: string): AttributePath {
  return { name, segments: name.includes('.') ? name.split('.') : null };
}

function asContextValue(value: unknown): ContextValue | undefined {
  // Inherited members (`toString`, `constructor`) and exotic values are not attributes.
  // One `typeof … ===` per type, not a stored `typeof`: V8's optimizing compiler makes each such
  // test a type check, while a stored result calls its `typeof` builtin on every read (profiled,
  // bench/evaluation: several percent of a rule's evaluation).
  if (typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint') {
    return undefined;
  }
  return value as ContextValue | undefined;
}

/**
 * Reads an attribute: the literal name first (a flat `"user.country"` key wins), then the dotted
 * path through nested objects. `undefined` when absent.
 */
export function readAttribute(context: EvaluationContext, path: AttributePath): ContextValue | undefined {
  const direct = context[path.name];
  if (direct !== undefined || path.segments === null) return asContextValue(direct);
  let value: unknown = context;
  for (const segment of path.segments) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return asContextValue(value);
}

/**
 * A unit id for hashing: a non-empty string as is, a finite number in its decimal form
 * (`String(42)` = "42", as any SDK would print it); anything else means no unit id.
 */
export function readUnitId(context: EvaluationContext, path: AttributePath): string | undefined {
  const value = readAttribute(context, path);
  if (typeof value === 'string') return value.length > 0 ? value : undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}
