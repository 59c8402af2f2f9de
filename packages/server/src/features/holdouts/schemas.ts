/**
 * @module features/holdouts/schemas
 * Request and response schemas of the holdouts API; the fields are `@cleave/core`'s.
 */
import { HoldoutSchema } from '@cleave/core';
import { EnvelopeResponseShape, mergePatchBody, TagsField, VersionField } from '../definitions/schemas.js';

export const CreateHoldoutBody = HoldoutSchema.extend(TagsField);
export const PatchHoldoutBody = mergePatchBody({ ...HoldoutSchema.shape, ...TagsField }).extend(VersionField);
export const HoldoutResponse = HoldoutSchema.extend(EnvelopeResponseShape);
