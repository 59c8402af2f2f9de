/**
 * @module The environment config payload: what SDKs download and evaluate.
 */
import { z } from 'zod';
import { ExperimentSchema } from './experiment.js';
import { checkFlagBody, flagEnvironmentShape, flagShape } from './flag.js';
import { HoldoutSchema } from './holdout.js';
import { KeySchema } from './key.js';
import { LayerSchema } from './layer.js';
import { CONFIG_SCHEMA_VERSION, HASH_VERSION } from './payload-shape.js';
import { SegmentSchema } from './segment.js';

export { CONFIG_SCHEMA_VERSION, HASH_VERSION } from './payload-shape.js';

/** A flag with only one environment's state, flattened into it. */
export const PayloadFlagSchema = z
  .object({ ...flagShape, ...flagEnvironmentShape })
  .superRefine((flag, context) => {
    checkFlagBody(flag, [{ path: [], environment: flag }], context);
  });

export type PayloadFlag = z.infer<typeof PayloadFlagSchema>;

export const ConfigPayloadSchema = z.object({
  schemaVersion: z.literal(CONFIG_SCHEMA_VERSION),
  hashVersion: z.literal(HASH_VERSION),
  environment: KeySchema,
  /** Increases with every change; SDKs and caches compare it. */
  version: z.number().int().nonnegative(),
  generatedAt: z.string().optional(),
  flags: z.array(PayloadFlagSchema),
  segments: z.array(SegmentSchema),
  experiments: z.array(ExperimentSchema),
  layers: z.array(LayerSchema),
  holdouts: z.array(HoldoutSchema),
});

export type ConfigPayload = z.infer<typeof ConfigPayloadSchema>;
