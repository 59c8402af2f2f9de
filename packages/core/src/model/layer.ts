/**
 * @module Layers (namespaces) for mutually exclusive experiments.
 */
import { z } from 'zod';
import { KeySchema, SeedSchema } from './key.js';

/**
 * A layer owns one bucket per unit (salted with its seed, by default its key); each experiment
 * in the layer takes a range of it, and non-overlapping ranges make the experiments exclusive.
 */
export const LayerSchema = z.object({
  key: KeySchema,
  name: z.string().max(200).optional(),
  description: z.string().max(2000).optional(),
  seed: SeedSchema.optional(),
});

export type Layer = z.infer<typeof LayerSchema>;
