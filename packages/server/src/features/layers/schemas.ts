/**
 * @module features/layers/schemas
 * Request and response schemas of the layers API; the fields are `@cleave/core`'s.
 */
import { LayerSchema } from '@cleave/core';
import { EnvelopeResponseShape, TagsField, VersionField } from '../definitions/schemas.js';

export const CreateLayerBody = LayerSchema.extend(TagsField);
export const PatchLayerBody = LayerSchema.partial().extend({ ...TagsField, ...VersionField });
export const LayerResponse = LayerSchema.extend(EnvelopeResponseShape);
