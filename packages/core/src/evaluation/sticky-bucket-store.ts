/**
 * @module Sticky bucketing: persisted assignments that survive weight and coverage changes.
 */

/**
 * Where sticky assignments live (a cookie, localStorage, a database row…). Synchronous so that
 * evaluation stays synchronous; an SDK backed by async storage loads the unit's assignments
 * before evaluating and writes them back afterwards. Errors thrown by a store are ignored:
 * evaluation then proceeds as if nothing were stored.
 */
export interface StickyBucketStore {
  /** The unit's stored assignments: experiment key → variation key. */
  get(hashAttribute: string, unitId: string): Readonly<Record<string, string>> | undefined;
  /** Records that the unit was assigned `variationKey` in `experimentKey`. */
  set(hashAttribute: string, unitId: string, experimentKey: string, variationKey: string): void;
}

/**
 * An in-memory StickyBucketStore, for tests and short-lived processes.
 *
 * @example
 * const store = new MemoryStickyBucketStore();
 * evaluate(compiled, 'checkout', context, { stickyBucketStore: store });
 */
export class MemoryStickyBucketStore implements StickyBucketStore {
  readonly #assignments = new Map<string, Record<string, string>>();

  get(hashAttribute: string, unitId: string): Readonly<Record<string, string>> | undefined {
    return this.#assignments.get(`${hashAttribute}\u0000${unitId}`);
  }

  set(hashAttribute: string, unitId: string, experimentKey: string, variationKey: string): void {
    const id = `${hashAttribute}\u0000${unitId}`;
    const assignments = this.#assignments.get(id) ?? {};
    assignments[experimentKey] = variationKey;
    this.#assignments.set(id, assignments);
  }
}
