/**
 * @module api-schemas
 * Schema pieces every feature's routes share: keys in paths, the error body, write versions.
 */
import { z } from 'zod';

/** Same rule as `@cleave/core` keys: lower case, so URLs and SDK lookups never need case folding. */
export const ResourceKey = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9_.-]{0,99}$/,
    'must be 1-100 characters of a-z, 0-9, "_", "." or "-", starting with a letter or digit',
  );

export const ProjectParams = z.object({ projectKey: ResourceKey });

export const Timestamp = z.string().describe('ISO-8601 UTC time');

export const DisplayName = z.string().trim().min(1).max(200);
export const Description = z.string().max(2000);
export const Tags = z.array(ResourceKey).max(20);

/** Optional in the body because `If-Match` may carry it instead. */
/** Versions are stored as 32-bit integers; a larger one is a client bug, not a version. */
export const MAX_VERSION = 2_147_483_647;

export const WriteVersion = z.number().int().min(1).max(MAX_VERSION).optional();

export const ErrorResponse = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});
