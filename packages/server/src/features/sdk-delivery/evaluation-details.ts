/**
 * @module features/sdk-delivery/evaluation-details
 * Turns core's evaluation results into the remote-evaluation and OFREP wire shapes. Metadata is
 * flattened to primitives because OFREP (and OpenFeature's flag metadata) allow nothing else.
 */
import type { EvaluationResult } from '@cleave/core';

export function metadataOf(result: EvaluationResult): Record<string, string | number | boolean> {
  const metadata: Record<string, string | number | boolean> = {};
  for (const [name, value] of Object.entries(result.flagMetadata)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      metadata[name] = value;
  }
  return metadata;
}

export function toEvaluationDetails(result: EvaluationResult) {
  return {
    key: result.flagKey,
    value: result.value,
    ...(result.variant !== undefined && { variant: result.variant }),
    reason: result.reason,
    ...(result.errorCode !== undefined && { errorCode: result.errorCode }),
    ...(result.errorMessage !== undefined && { errorMessage: result.errorMessage }),
    metadata: metadataOf(result),
    ...(result.trace !== undefined && { trace: result.trace }),
  };
}
