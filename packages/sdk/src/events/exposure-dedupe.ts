/**
 * @module De-duplication of exposures: a bounded LRU set of `unit|experiment|variation`.
 */

/**
 * Remembers the most recent `capacity` exposures. A unit re-evaluated a thousand times in a
 * page or request yields one exposure; when the set is full the least recently seen entry is
 * forgotten, so memory stays bounded and a forgotten unit costs one more (harmless) exposure:
 * analysis counts a unit's first exposure, and the server de-duplicates by event id.
 *
 * @example
 * const seen = new ExposureDedupe(10_000);
 * if (seen.firstTime('user-42', 'checkout-test', 'treatment')) enqueueExposure();
 */
export class ExposureDedupe {
  readonly #capacity: number;
  /** A Map iterates in insertion order: re-inserting on a hit makes the first key the oldest. */
  readonly #seen = new Map<string, true>();

  constructor(capacity: number) {
    this.#capacity = Math.max(1, Math.floor(capacity));
  }

  get size(): number {
    return this.#seen.size;
  }

  /** True the first time this unit, experiment and variation are seen (within the cache). */
  firstTime(unitId: string, experimentKey: string, variationKey: string): boolean {
    // Keys and variation keys cannot contain "|" (KEY_PATTERN), so the id is unambiguous.
    const id = `${unitId}|${experimentKey}|${variationKey}`;
    if (this.#seen.has(id)) {
      this.#seen.delete(id);
      this.#seen.set(id, true);
      return false;
    }
    this.#seen.set(id, true);
    if (this.#seen.size > this.#capacity) {
      const oldest = this.#seen.keys().next();
      if (oldest.done !== true) this.#seen.delete(oldest.value);
    }
    return true;
  }
}
