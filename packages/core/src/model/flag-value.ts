/**
 * @module Flag types and values.
 */
import { z } from 'zod';
import { FLAG_TYPES } from './flag-type.js';

export { FLAG_TYPES, type FlagType, valueMatchesType } from './flag-type.js';

export const FlagTypeSchema = z.enum(FLAG_TYPES);

/** Any JSON value. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A flag variant's value. */
export type FlagValue = JsonValue;

/**
 * Any JSON value, spelled out rather than `z.json()`: its recursion must refer to this very
 * (named) schema, so OpenAPI documents can say `#/components/schemas/JsonValue` for it.
 */
export const FlagValueSchema: z.ZodType<FlagValue> = z
  .lazy(() =>
    z.union([
      z.string(),
      z.number(),
      z.boolean(),
      z.null(),
      z.array(FlagValueSchema),
      z.record(z.string(), FlagValueSchema),
    ]),
  )
  .meta({ id: 'JsonValue' });
