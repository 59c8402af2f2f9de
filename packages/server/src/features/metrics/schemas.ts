/**
 * @module features/metrics/schemas
 * Request and response schemas of the metrics API; the fields are `@cleave/core`'s.
 */
import { CappingSchema, ConversionWindowSchema, EventAggregateSchema, KeySchema } from '@cleave/core';
import { z } from 'zod';
import { Description, DisplayName } from '../../http/api-schemas.js';
import { EnvelopeResponseShape, mergePatchBody, TagsField, VersionField } from '../definitions/schemas.js';

const metricFields = {
  key: KeySchema,
  name: DisplayName.optional(),
  description: Description.optional(),
  type: z.enum(['proportion', 'mean', 'ratio']),
  numerator: EventAggregateSchema,
  denominator: EventAggregateSchema.optional(),
  conversionWindow: ConversionWindowSchema.optional(),
  capping: CappingSchema.optional(),
  direction: z.enum(['increase', 'decrease']).optional(),
};

export const CreateMetricBody = z.object({ ...metricFields, ...TagsField });
export const PatchMetricBody = mergePatchBody({ ...metricFields, ...TagsField }).extend(VersionField);
export const MetricResponse = z.object({ ...metricFields, ...EnvelopeResponseShape });
