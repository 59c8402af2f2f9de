/**
 * @module features/segments/schemas
 * Request and response schemas of the segments API; the fields are `@cleave/core`'s.
 */
import { SegmentSchema } from '@cleave/core';
import { EnvelopeResponseShape, TagsField, VersionField } from '../definitions/schemas.js';

export const CreateSegmentBody = SegmentSchema.extend(TagsField);
export const PatchSegmentBody = SegmentSchema.partial().extend({ ...TagsField, ...VersionField });
export const SegmentResponse = SegmentSchema.extend(EnvelopeResponseShape);
