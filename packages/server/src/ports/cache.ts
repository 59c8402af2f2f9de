/**
 * @module adapters/cache
 * A key-value cache. Keys carry versions (e.g. `sdk-payload:<environment>:<configVersion>`), so
 * entries never need invalidating: a change makes a new key and old ones expire.
 */
export interface Cache<V> {
  get(key: string): Promise<V | undefined>;
  set(key: string, value: V): Promise<void>;
}

/** Reads the first tier, then the second (filling the first on a hit); writes both. */
export function tieredCache<V>(first: Cache<V>, second: Cache<V>): Cache<V> {
  return {
    async get(key) {
      const near = await first.get(key);
      if (near !== undefined) return near;
      const far = await second.get(key);
      if (far !== undefined) await first.set(key, far);
      return far;
    },
    async set(key, value) {
      await Promise.all([first.set(key, value), second.set(key, value)]);
    },
  };
}
