/**
 * @module Nesting limits of free-form JSON (request bodies, event properties).
 *
 * Parsing takes any depth, but validation, serialisation and explanation recurse over values, and
 * a value nested tens of thousands of levels deep overflows the stack in each of them. Limits stop
 * such values at the door, with a clear answer.
 */

/** Tracked-event properties and exposure attributes nest at most this many levels. */
export const MAX_EVENT_PROPERTIES_DEPTH = 32;

/**
 * Whether `value` nests objects and arrays more than `levels` deep (a scalar is 0 levels, `{}`
 * and `[]` are 1). Safe on any input: it recurses at most `levels + 1` calls deep, visits each
 * value at most once and stops at the first that is too deep.
 */
export function nestsDeeperThan(value: unknown, levels: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (levels <= 0) return true;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      if (nestsDeeperThan(value[index], levels - 1)) return true;
    }
    return false;
  }
  for (const key in value) {
    if (Object.hasOwn(value, key) && nestsDeeperThan((value as Record<string, unknown>)[key], levels - 1)) {
      return true;
    }
  }
  return false;
}
