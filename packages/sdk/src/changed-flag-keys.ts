/**
 * @module Which flags a new payload may have changed.
 */
import type { ConfigPayload } from '@cleave/core/evaluation';

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Keys of flags added, removed or edited between two validated payloads (whose objects have the
 * schema's key order, so JSON text compares them). A change to segments, experiments, layers or
 * holdouts may change any flag's values, so it reports every flag: a superset is safe for
 * listeners (they re-read), a missed key is not.
 *
 * @example
 * changedFlagKeys(previous, next); // ['new-checkout']
 */
export function changedFlagKeys(previous: ConfigPayload | undefined, next: ConfigPayload): string[] {
  const nextKeys = next.flags.map((flag) => flag.key);
  if (previous === undefined) return nextKeys;
  const removed = previous.flags.filter((flag) => !nextKeys.includes(flag.key)).map((flag) => flag.key);
  const sharedChanged =
    !sameJson(previous.segments, next.segments) ||
    !sameJson(previous.experiments, next.experiments) ||
    !sameJson(previous.layers, next.layers) ||
    !sameJson(previous.holdouts, next.holdouts);
  if (sharedChanged) return [...nextKeys, ...removed];
  const before = new Map(previous.flags.map((flag) => [flag.key, flag]));
  const changed = next.flags.filter((flag) => !sameJson(before.get(flag.key), flag)).map((flag) => flag.key);
  return [...changed, ...removed];
}
