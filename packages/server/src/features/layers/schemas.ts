/**
 * @module features/layers/schemas
 * Request and response schemas of the layers API; the fields are `@cleave/core`'s.
 */
import { LayerSchema } from '@cleave/core';
import { EnvelopeResponseShape, mergePatchBody, TagsField, VersionField } from '../definitions/schemas.js';

export const CreateLayerBody = LayerSchema.extend(TagsField);
export const PatchLayerBody = mergePatchBody({ ...LayerSchema.shape, ...TagsField }).extend(VersionField);
export const LayerResponse = LayerSchema.extend(EnvelopeResponseShape);
