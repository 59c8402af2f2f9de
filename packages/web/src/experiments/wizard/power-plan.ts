/**
 * @module experiments/wizard/power-plan
 * From the sample size per arm (the stats API's `nPerVariant`, for two equal arms) to the units
 * an experiment needs and how long current traffic takes to bring them.
 *
 * With unequal weights the smallest variation fills last: it needs `nPerVariant` units, so the
 * experiment needs `nPerVariant / smallest weight` in all. Only the share of traffic that enters
 * (coverage × the layer range's width) counts towards it.
 */

export function totalUnitsNeeded(nPerVariant: number, weights: readonly number[]): number | undefined {
  const smallest = Math.min(...weights);
  if (weights.length === 0 || !(smallest > 0)) return undefined;
  return Math.ceil(nPerVariant / smallest);
}

/** Whole days to reach `units` at `dailyUnits × share` a day; undefined without traffic. */
export function daysNeeded(units: number, dailyUnits: number, share: number): number | undefined {
  const perDay = dailyUnits * share;
  if (!(perDay > 0)) return undefined;
  return Math.max(1, Math.ceil(units / perDay));
}
