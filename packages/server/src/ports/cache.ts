/**
 * @module ports/cache
 * A key-value cache. Keys carry versions (e.g. `sdk-payload:<environment>:<configVersion>`), so
 * entries never need invalidating: a change makes a new key and old ones expire.
 */
export interface Cache<V> {
  get(key: string): Promise<V | undefined>;
  set(key: string, value: V): Promise<void>;
}
