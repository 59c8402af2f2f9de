/**
 * @module Experiments compiled for assignment: salts encoded, variation ranges accumulated,
 * layer slot and applicable holdouts attached.
 */
import { createHashSalt, type HashSalt } from '../hashing/hash-bucket.js';
import { coverageSalt, holdoutSalt, layerSalt, variationSalt } from '../hashing/hash-salts.js';
import { variationRanges } from '../hashing/variation-ranges.js';
import type { Experiment } from '../model/experiment.js';
import type { Holdout } from '../model/holdout.js';
import type { Layer } from '../model/layer.js';
import { type AttributePath, compileAttributePath, TARGETING_KEY } from './context.js';

export interface CompiledHoldout {
  readonly key: string;
  readonly salt: HashSalt;
  readonly fraction: number;
}

export interface CompiledLayerSlot {
  readonly key: string;
  readonly salt: HashSalt;
  readonly start: number;
  readonly end: number;
}

export interface CompiledExperiment {
  readonly key: string;
  readonly hashAttribute: string;
  readonly unitAttribute: AttributePath;
  readonly variationSalt: HashSalt;
  readonly coverageSalt: HashSalt;
  readonly coverage: number;
  readonly variationKeys: readonly string[];
  readonly rangeEnds: Float64Array;
  readonly layer: CompiledLayerSlot | null;
  /** Project-wide holdouts, then those of the experiment's layer. */
  readonly holdouts: readonly CompiledHoldout[];
  readonly sticky: boolean;
}

/** Compiles an experiment; throws if its layer is unknown. */
export function compileExperiment(
  experiment: Experiment,
  layers: ReadonlyMap<string, Layer>,
  holdouts: readonly Holdout[],
): CompiledExperiment {
  const seed = experiment.seed ?? experiment.key;
  let layer: CompiledLayerSlot | null = null;
  if (experiment.layer !== undefined) {
    const definition = layers.get(experiment.layer.key);
    if (definition === undefined) throw new Error(`unknown layer "${experiment.layer.key}"`);
    layer = {
      key: definition.key,
      salt: createHashSalt(layerSalt(definition.seed ?? definition.key)),
      start: experiment.layer.range.start,
      end: experiment.layer.range.end,
    };
  }
  const layerKey = layer?.key;
  const applicable = holdouts
    .filter((holdout) => holdout.layerKey === undefined || holdout.layerKey === layerKey)
    .sort((a, b) => (a.layerKey === undefined ? 0 : 1) - (b.layerKey === undefined ? 0 : 1))
    .map((holdout) => ({
      key: holdout.key,
      salt: createHashSalt(holdoutSalt(holdout.seed ?? holdout.key)),
      fraction: holdout.fraction,
    }));
  const hashAttribute = experiment.hashAttribute ?? TARGETING_KEY;
  return {
    key: experiment.key,
    hashAttribute,
    unitAttribute: compileAttributePath(hashAttribute),
    variationSalt: createHashSalt(variationSalt(seed)),
    coverageSalt: createHashSalt(coverageSalt(seed)),
    coverage: experiment.coverage ?? 1,
    variationKeys: experiment.variations.map((variation) => variation.key),
    rangeEnds: variationRanges(experiment.variations.map((variation) => variation.weight)),
    layer,
    holdouts: applicable,
    sticky: experiment.stickyBucketing === true,
  };
}
