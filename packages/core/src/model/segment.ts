/**
 * @module Segments: named, reusable groups of conditions.
 */
import { z } from 'zod';
import { ConditionListSchema } from './condition.js';
import { KeySchema } from './key.js';

/** A segment matches a unit when all its conditions do. Segments may reference other segments. */
export const SegmentSchema = z.object({
  key: KeySchema,
  name: z.string().max(200).optional(),
  description: z.string().max(2000).optional(),
  conditions: ConditionListSchema.min(1),
});

export type Segment = z.infer<typeof SegmentSchema>;
