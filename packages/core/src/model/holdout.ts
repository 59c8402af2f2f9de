/**
 * @module Holdouts: units kept out of every experiment of a project or a layer.
 */
import { z } from 'zod';
import { FractionSchema, KeySchema, SeedSchema } from './key.js';

/**
 * A holdout excludes a unit from the experiments in its scope when its holdout bucket is below
 * `fraction`. Without `layerKey` it covers every experiment of the project; with one, only that
 * layer's experiments. The bucket uses the experiment's unit id (its hash attribute).
 */
export const HoldoutSchema = z.object({
  key: KeySchema,
  name: z.string().max(200).optional(),
  description: z.string().max(2000).optional(),
  seed: SeedSchema.optional(),
  fraction: FractionSchema,
  layerKey: KeySchema.optional(),
});

export type Holdout = z.infer<typeof HoldoutSchema>;
