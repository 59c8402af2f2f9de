/**
 * @module features/segments/schemas
 * Request and response schemas of the segments API; the fields are `@cleave/core`'s.
 */
import { SegmentSchema } from '@cleave/core';
import { EnvelopeResponseShape, mergePatchBody, TagsField, VersionField } from '../definitions/schemas.js';

export const CreateSegmentBody = SegmentSchema.extend(TagsField);
export const PatchSegmentBody = mergePatchBody({ ...SegmentSchema.shape, ...TagsField }).extend(VersionField);
export const SegmentResponse = SegmentSchema.extend(EnvelopeResponseShape);
