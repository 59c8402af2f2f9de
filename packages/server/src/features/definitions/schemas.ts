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
