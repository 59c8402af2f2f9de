/**
 * @module Save-time validation: every bad field of a definition, with its path.
 *
 * Each function returns `{ ok: true, value }` (the parsed value, unknown keys dropped) or
 * `{ ok: false, issues }` listing every problem with a JSON Pointer path. None throws.
 * Cross-field checks (variants exist, values have the flag's type, weights sum to 1) run once
 * the shape itself is valid, so a first round may report shape problems only.
 * Single-object validators check what the object alone can tell; references between objects
 * (segments, experiments, prerequisites, layers) need the whole set: `validateDefinitionSet`
 * for the managed definitions, `validateConfigPayload` for a payload.
 */
import { z } from 'zod';
import { checkReferences, type FlagScope } from './check-references.js';
import { type ConfigPayload, ConfigPayloadSchema } from './config-payload.js';
import { type Experiment, ExperimentSchema } from './experiment.js';
import { type Flag, FlagSchema } from './flag.js';
import { type Holdout, HoldoutSchema } from './holdout.js';
import { type Layer, LayerSchema } from './layer.js';
import { type Segment, SegmentSchema } from './segment.js';
import { type ValidationResult, validateWith } from './validation-result.js';

/**
 * Validates one flag definition (all environments) on its own.
 *
 * @example
 * const result = validateFlag(body);
 * if (!result.ok) reply.code(400).send({ error: { code: 'invalid_flag', details: result.issues } });
 * // issues: [{ path: '/environments/production/rules/0/variant', message: 'unknown variant "onn"' }]
 */
export function validateFlag(input: unknown): ValidationResult<Flag> {
  return validateWith(FlagSchema, input);
}

/** Validates one experiment: weights sum to 1, unique variation keys, a sane layer range. */
export function validateExperiment(input: unknown): ValidationResult<Experiment> {
  return validateWith(ExperimentSchema, input);
}

/** Validates one segment (its references to other segments need `validateDefinitionSet`). */
export function validateSegment(input: unknown): ValidationResult<Segment> {
  return validateWith(SegmentSchema, input);
}

export function validateLayer(input: unknown): ValidationResult<Layer> {
  return validateWith(LayerSchema, input);
}

export function validateHoldout(input: unknown): ValidationResult<Holdout> {
  return validateWith(HoldoutSchema, input);
}

/** Everything a project defines: what the server validates before saving a change. */
export const DefinitionSetSchema = z.object({
  flags: z.array(FlagSchema),
  segments: z.array(SegmentSchema),
  experiments: z.array(ExperimentSchema),
  layers: z.array(LayerSchema),
  holdouts: z.array(HoldoutSchema),
});

export type DefinitionSet = z.infer<typeof DefinitionSetSchema>;

/**
 * Validates a whole set of definitions, including what no single object can tell: references
 * resolve, keys are unique, layer ranges do not overlap, prerequisites and segments form no cycle.
 *
 * @example
 * // Saving an experiment: validate the project's definitions as they would be after the save.
 * const result = validateDefinitionSet({ ...current, experiments: [...others, changed] });
 */
export function validateDefinitionSet(input: unknown): ValidationResult<DefinitionSet> {
  return validateWith(DefinitionSetSchema, input, (set) => {
    const scopes: FlagScope[] = [];
    set.flags.forEach((flag, index) => {
      const variantKeys = new Set(flag.variants.map((variant) => variant.key));
      for (const [environmentKey, environment] of Object.entries(flag.environments)) {
        scopes.push({
          flagKey: flag.key,
          variantKeys,
          group: environmentKey,
          path: ['flags', index, 'environments', environmentKey],
          environment,
        });
      }
    });
    return checkReferences({
      flags: set.flags.map((flag, index) => ({
        key: flag.key,
        variantKeys: new Set(flag.variants.map((variant) => variant.key)),
        path: ['flags', index],
      })),
      scopes,
      segments: set.segments,
      experiments: set.experiments,
      layers: set.layers,
      holdouts: set.holdouts,
    });
  });
}

/**
 * Validates an environment config payload completely: shape, versions and every reference.
 *
 * @example
 * const result = validateConfigPayload(JSON.parse(body));
 * if (result.ok) compiled = compileConfig(result.value);
 */
export function validateConfigPayload(input: unknown): ValidationResult<ConfigPayload> {
  return validateWith(ConfigPayloadSchema, input, (payload) => {
    const flags = payload.flags.map((flag, index) => ({
      key: flag.key,
      variantKeys: new Set(flag.variants.map((variant) => variant.key)),
      path: ['flags', index] as const,
    }));
    return checkReferences({
      flags,
      scopes: payload.flags.map((flag, index) => ({
        flagKey: flag.key,
        variantKeys: flags[index]?.variantKeys ?? new Set<string>(),
        group: payload.environment,
        path: ['flags', index],
        environment: flag,
      })),
      segments: payload.segments,
      experiments: payload.experiments,
      layers: payload.layers,
      holdouts: payload.holdouts,
    });
  });
}
