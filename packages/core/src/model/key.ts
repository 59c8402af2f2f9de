/**
 * @module Keys, attribute names and seeds: the identifiers a configuration is written in.
 */
import { z } from 'zod';
import { FORBIDDEN_ATTRIBUTE_SEGMENTS, KEY_PATTERN } from './payload-shape.js';

export { KEY_PATTERN } from './payload-shape.js';

export const KeySchema = z
  .string()
  .regex(
    KEY_PATTERN,
    'must be 1-100 characters of a-z, 0-9, "_", "." or "-", starting with a letter or digit',
  );

/**
 * A context attribute: a name, or a dotted path into nested objects (`user.country`).
 * Contexts come from arbitrary applications, so any characters are allowed except empty path
 * segments and the prototype-reaching names.
 */
export const AttributeSchema = z
  .string()
  .min(1)
  .max(200)
  // An empty name already fails min(1); the checks below would only repeat it.
  .refine((name) => name === '' || name.split('.').every((segment) => segment.length > 0), {
    message: 'must not have empty path segments',
  })
  .refine((name) => name.split('.').every((segment) => !FORBIDDEN_ATTRIBUTE_SEGMENTS.has(segment)), {
    message: 'must not use __proto__, prototype or constructor',
  });

/**
 * An explicit hash seed. `~` is reserved for the salt suffixes, which keeps salts of different
 * purposes distinct (see hash-salts.ts).
 */
export const SeedSchema = z
  .string()
  .min(1)
  .max(200)
  .refine((seed) => !seed.includes('~'), { message: 'must not contain "~"' });

/** A fraction of units in [0, 1]: weights, coverage, rollout and holdout sizes all use it. */
export const FractionSchema = z.number().min(0).max(1);
