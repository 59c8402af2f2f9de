/**
 * @module http/evaluation-details
 * Turns core's evaluation results into the wire shapes of remote evaluation, OFREP and the flags
 * API's "test this flag". Metadata is flattened to primitives because OFREP (and OpenFeature's
 * flag metadata) allow nothing else.
 */
import { type EvaluationResult, REASONS } from '@cleave/core';
import { z } from 'zod';

export const EvaluationDetails = z.object({
  key: z.string(),
  value: z.unknown(),
  variant: z.string().optional(),
  reason: z.enum(REASONS),
  errorCode: z.string().optional(),
  errorMessage: z.string().optional(),
  metadata: z.record(z.string(), z.unknown()),
  trace: z.array(z.unknown()).optional(),
});

type WireMetadata = Readonly<Record<string, string | number | boolean>>;

/** Flattened once per compiled flag: results share their flag's metadata object. */
const flattened = new WeakMap<EvaluationResult['flagMetadata'], WireMetadata>();

export function metadataOf(result: EvaluationResult): WireMetadata {
  const known = flattened.get(result.flagMetadata);
  if (known !== undefined) return known;
  const metadata: Record<string, string | number | boolean> = {};
  for (const [name, value] of Object.entries(result.flagMetadata)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      metadata[name] = value;
  }
  const frozen = Object.freeze(metadata);
  flattened.set(result.flagMetadata, frozen);
  return frozen;
}

/**
 * One shape for every result (absent fields are `undefined`, which serializers leave out, as
 * `JSON.stringify` does): built without spreading temporary objects, as remote evaluation answers
 * one per flag on every request.
 */
export function toEvaluationDetails(result: EvaluationResult) {
  return {
    key: result.flagKey,
    value: result.value,
    variant: result.variant,
    reason: result.reason,
    errorCode: result.errorCode,
    errorMessage: result.errorMessage,
    metadata: metadataOf(result),
    trace: result.trace,
  };
}
