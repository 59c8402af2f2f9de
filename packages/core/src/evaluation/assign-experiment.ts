/**
 * @module Assigning a unit to an experiment variation.
 *
 * Order: unit id → sticky assignment → holdouts → layer range → coverage → variation. Each step
 * has its own salt, so the buckets are independent: changing coverage never moves a unit that
 * stays in to another variation, and layer position says nothing about the variation.
 * A stored sticky assignment wins over every later step (as long as its variation still
 * exists): that is its purpose, keeping assigned units put while weights or coverage change.
 */
import { bucketOf } from '../hashing/hash-bucket.js';
import { chooseVariation } from '../hashing/variation-ranges.js';
import type { CompiledExperiment } from './compile-experiment.js';
import { type EvaluationContext, readUnitId } from './context.js';
import type { StickyBucketStore } from './sticky-bucket-store.js';

/** Negative results of {@link assignExperiment}; a non-negative result is a variation index. */
export const NOT_ASSIGNED = {
  unitIdMissing: -1,
  inHoldout: -2,
  outsideLayer: -3,
  outsideCoverage: -4,
} as const;

/**
 * Details of the last assignment, written into a caller-owned object so that assigning
 * allocates nothing; traces and exposure records read them.
 */
export interface AssignmentDetails {
  unitId: string;
  /** The bucket that decided: variation bucket when assigned, else the bucket that excluded. */
  bucket: number;
  /** The bound the deciding bucket was compared with (coverage, holdout fraction, range start). */
  threshold: number;
  holdoutKey: string;
  sticky: boolean;
}

export function createAssignmentDetails(): AssignmentDetails {
  return { unitId: '', bucket: Number.NaN, threshold: Number.NaN, holdoutKey: '', sticky: false };
}

function storedVariation(
  experiment: CompiledExperiment,
  unitId: string,
  store: StickyBucketStore | undefined,
): number {
  if (store === undefined || !experiment.sticky) return -1;
  try {
    const stored = store.get(experiment.hashAttribute, unitId)?.[experiment.key];
    return stored === undefined ? -1 : experiment.variationKeys.indexOf(stored);
  } catch {
    return -1;
  }
}

/**
 * Assigns the unit in `context` to a variation of `experiment`: returns its index, or one of
 * {@link NOT_ASSIGNED}. Writes what decided into `details`.
 */
export function assignExperiment(
  experiment: CompiledExperiment,
  context: EvaluationContext,
  store: StickyBucketStore | undefined,
  details: AssignmentDetails,
): number {
  details.bucket = Number.NaN;
  details.threshold = Number.NaN;
  details.holdoutKey = '';
  details.sticky = false;
  const unitId = readUnitId(context, experiment.unitAttribute);
  if (unitId === undefined) {
    details.unitId = '';
    return NOT_ASSIGNED.unitIdMissing;
  }
  details.unitId = unitId;

  const stored = storedVariation(experiment, unitId, store);
  if (stored >= 0) {
    details.sticky = true;
    return stored;
  }
  for (const holdout of experiment.holdouts) {
    const bucket = bucketOf(holdout.salt, unitId);
    if (bucket < holdout.fraction) {
      details.bucket = bucket;
      details.threshold = holdout.fraction;
      details.holdoutKey = holdout.key;
      return NOT_ASSIGNED.inHoldout;
    }
  }
  const layer = experiment.layer;
  if (layer !== null) {
    const bucket = bucketOf(layer.salt, unitId);
    if (bucket < layer.start || bucket >= layer.end) {
      details.bucket = bucket;
      details.threshold = layer.start;
      return NOT_ASSIGNED.outsideLayer;
    }
  }
  // Coverage 1 admits everyone; skip its hash, which also keeps full-coverage experiments cheap.
  if (experiment.coverage < 1) {
    const bucket = bucketOf(experiment.coverageSalt, unitId);
    if (bucket >= experiment.coverage) {
      details.bucket = bucket;
      details.threshold = experiment.coverage;
      return NOT_ASSIGNED.outsideCoverage;
    }
  }
  const bucket = bucketOf(experiment.variationSalt, unitId);
  details.bucket = bucket;
  const index = chooseVariation(bucket, experiment.rangeEnds);
  // Unreachable with validated weights (the last range ends at 1), but never report -1 as a
  // missing unit id.
  if (index < 0) return NOT_ASSIGNED.outsideCoverage;
  if (experiment.sticky && store !== undefined) {
    try {
      store.set(experiment.hashAttribute, unitId, experiment.key, experiment.variationKeys[index] ?? '');
    } catch {
      // A failing store must not fail the evaluation; the unit is assigned by hash regardless.
    }
  }
  return index;
}
