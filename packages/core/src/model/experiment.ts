/**
 * @module Experiments: weighted variations, coverage, layer ranges, sticky bucketing.
 */
import { z } from 'zod';
import { AttributeSchema, FractionSchema, KeySchema, SeedSchema } from './key.js';
import { WEIGHT_SUM_TOLERANCE } from './payload-shape.js';

export { WEIGHT_SUM_TOLERANCE } from './payload-shape.js';

export const VariationSchema = z.object({
  key: KeySchema,
  name: z.string().max(200).optional(),
  description: z.string().max(2000).optional(),
  weight: FractionSchema,
});

export type Variation = z.infer<typeof VariationSchema>;

/** The share `[start, end)` of a layer's bucket that an experiment takes. */
export const LayerRangeSchema = z
  .object({ start: FractionSchema, end: FractionSchema })
  .refine((range) => range.start < range.end, { message: 'start must be below end', path: ['end'] });

export type LayerRange = z.infer<typeof LayerRangeSchema>;

export const ExperimentSchema = z
  .object({
    key: KeySchema,
    name: z.string().max(200).optional(),
    description: z.string().max(2000).optional(),
    /** Salt of the variation bucket; defaults to the key. Change it to reshuffle every unit. */
    seed: SeedSchema.optional(),
    /** The attribute that identifies a unit; defaults to `targetingKey`. */
    hashAttribute: AttributeSchema.optional(),
    variations: z.array(VariationSchema).min(1).max(100),
    /** Share of eligible units that enter; defaults to 1. Hashed independently of variations. */
    coverage: FractionSchema.optional(),
    layer: z.object({ key: KeySchema, range: LayerRangeSchema }).optional(),
    /** Keep units in the variation they first got, through a StickyBucketStore. */
    stickyBucketing: z.boolean().optional(),
  })
  .superRefine((experiment, context) => {
    const seen = new Set<string>();
    experiment.variations.forEach((variation, index) => {
      if (seen.has(variation.key)) {
        context.addIssue({
          code: 'custom',
          path: ['variations', index, 'key'],
          message: `duplicate variation key "${variation.key}"`,
        });
      }
      seen.add(variation.key);
    });
    const sum = experiment.variations.reduce((total, variation) => total + variation.weight, 0);
    if (Math.abs(sum - 1) > WEIGHT_SUM_TOLERANCE) {
      context.addIssue({
        code: 'custom',
        path: ['variations'],
        message: `weights must sum to 1 (they sum to ${sum})`,
      });
    }
  });

export type Experiment = z.infer<typeof ExperimentSchema>;
