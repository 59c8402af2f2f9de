/**
 * @module Flag types and values.
 */
import { z } from 'zod';

export const FLAG_TYPES = ['boolean', 'string', 'number', 'json'] as const;

/** A flag's value type; `json` is OpenFeature's `object` (any JSON value). */
export type FlagType = (typeof FLAG_TYPES)[number];

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

/** Whether `value` has the type a flag of `type` must hold. */
export function valueMatchesType(value: unknown, type: FlagType): boolean {
  switch (type) {
    case 'boolean':
      return typeof value === 'boolean';
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'json':
      return value !== undefined;
  }
}
