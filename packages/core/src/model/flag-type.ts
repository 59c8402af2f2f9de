/**
 * @module Flag types and the check that a value has a flag's type; zod-free, so that the
 * compile step (and with it browser bundles) can use them without the model's schemas.
 */

export const FLAG_TYPES = ['boolean', 'string', 'number', 'json'] as const;

/** A flag's value type; `json` is OpenFeature's `object` (any JSON value). */
export type FlagType = (typeof FLAG_TYPES)[number];

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
