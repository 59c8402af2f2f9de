/**
 * @module The salts that keep each use of the hash independent (hash version 1).
 *
 * Every salt is derived from a seed. Seeds default to the owning object's key, keys cannot
 * contain `~` or `/`, and explicit seeds cannot contain `~`, so the salts of different purposes
 * never coincide: without that, an experiment and a layer both keyed `checkout` would share one
 * bucket and every unit admitted by the layer range would land in the same variation.
 * docs/hashing.md lists these forms; changing one reassigns units and needs a new hash version.
 */

/** Salt of an experiment's variation bucket: the experiment seed itself. */
export function variationSalt(experimentSeed: string): string {
  return experimentSeed;
}

/** Salt of an experiment's coverage bucket, independent of the variation bucket. */
export function coverageSalt(experimentSeed: string): string {
  return `${experimentSeed}~coverage`;
}

/** Default seed of a rollout rule: unique per flag and rule. */
export function defaultRolloutSeed(flagKey: string, ruleId: string): string {
  return `${flagKey}/${ruleId}`;
}

/** Salt of a rollout rule's bucket. */
export function rolloutSalt(rolloutSeed: string): string {
  return `${rolloutSeed}~rollout`;
}

/** Salt of a layer's shared bucket, which its experiments' ranges divide. */
export function layerSalt(layerSeed: string): string {
  return `${layerSeed}~layer`;
}

/** Salt of a holdout's bucket. */
export function holdoutSalt(holdoutSeed: string): string {
  return `${holdoutSeed}~holdout`;
}
