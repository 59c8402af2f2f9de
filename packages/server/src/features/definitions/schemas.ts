/**
 * @module features/definitions/schemas
 * Schema pieces shared by every definition's routes: the envelope (status, tags, version, times),
 * list filters, and the archive request.
 */
import { z } from 'zod';
import { ProjectParams, ResourceKey, Tags, Timestamp, WriteVersion } from '../../http/api-schemas.js';
import { PageQuery } from '../../http/pagination.js';

export const EnvelopeResponseShape = {
  key: z.string(),
  name: z.string(),
  description: z.string(),
  tags: z.array(z.string()),
  status: z.string(),
  version: z.number().int(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
};

export const ListDefinitionsQuery = PageQuery.extend({
  status: z
    .string()
    .max(100)
    .optional()
    .describe('Comma-separated statuses, e.g. `active` or `draft,running`; default: all but archived'),
  tag: ResourceKey.optional(),
  search: z.string().max(100).optional().describe('Case-insensitive text in key or name'),
});

export const KeyParams = ProjectParams.extend({ key: ResourceKey });

export const VersionBody = z.object({ version: WriteVersion });

export const TagsField = { tags: Tags.optional() };

export const VersionField = { version: WriteVersion };

/**
 * The PATCH body of a definition (JSON Merge Patch, RFC 7396): every field may be left out to keep
 * it; a field the definition may lack (optional at creation) may also be `null`, which removes it.
 * Without `null`, a shallow merge could never take away a metric's cap or denominator.
 */
export function mergePatchBody<Shape extends z.ZodRawShape>(shape: Shape) {
  const fields: Record<string, z.ZodType> = {};
  for (const [name, field] of Object.entries(shape) as [string, z.ZodType][]) {
    fields[name] =
      field instanceof z.ZodOptional
        ? (field.unwrap() as z.ZodType).nullable().optional().describe(removableDescription(field))
        : field.optional();
  }
  return z.object(fields as { [K in keyof Shape]: z.ZodOptional<z.ZodType<RemovableOutput<Shape[K]>>> });
}

type RemovableOutput<Field> =
  Field extends z.ZodOptional<infer Inner>
    ? z.output<Inner> | null
    : Field extends z.ZodType
      ? z.output<Field>
      : never;

function removableDescription(field: z.ZodOptional): string {
  const own = field.description ?? (field.unwrap() as z.ZodType).description;
  return own ? `${own} (null removes it)` : 'null removes it';
}
