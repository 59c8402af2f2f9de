/**
 * @module Cleave evaluation details as OpenFeature resolution details.
 */
import type { FlagValue } from '@cleave/core/evaluation';
import type { ErrorCode, FlagMetadata, ResolutionDetails } from '@openfeature/core';
import type { EvaluationDetails } from '../evaluation-details.js';

/**
 * Core already speaks OpenFeature: reasons and error codes carry the same strings, and its
 * metadata (rule, experiment, variation) holds only primitives.
 *
 * @example
 * toResolutionDetails(client.getBooleanDetails('new-checkout', false, context));
 * // → { value: true, variant: 'on', reason: 'SPLIT', flagMetadata: { experimentKey: 'checkout-test', … } }
 */
export function toResolutionDetails<T extends FlagValue>(
  details: EvaluationDetails<T>,
): ResolutionDetails<T> {
  const flagMetadata: FlagMetadata = {};
  for (const [key, value] of Object.entries(details.flagMetadata)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      flagMetadata[key] = value;
    }
  }
  const resolution: ResolutionDetails<T> = { value: details.value, reason: details.reason, flagMetadata };
  if (details.variant !== undefined) resolution.variant = details.variant;
  if (details.errorCode !== undefined) {
    // The union of string literals equals the values of OpenFeature's string enum.
    resolution.errorCode = details.errorCode as ErrorCode;
    if (details.errorMessage !== undefined) resolution.errorMessage = details.errorMessage;
  }
  return resolution;
}
