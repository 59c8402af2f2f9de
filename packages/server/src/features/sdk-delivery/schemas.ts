/**
 * @module features/sdk-delivery/schemas
 * Schemas of the SDK endpoints and remote evaluation. The config payload itself is
 * `@cleave/core`'s `ConfigPayload`, serialised once per version and sent verbatim.
 */
import { z } from 'zod';
import { EvaluationDetails } from '../../http/evaluation-details.js';

/** OpenFeature evaluation context: a targeting key plus any attributes. */
export const EvaluationContextBody = z
  .record(z.string(), z.unknown())
  .describe('OpenFeature evaluation context');

export const EvaluateBody = z.object({
  context: EvaluationContextBody,
  /** Only these flags; default: all. */
  flags: z.array(z.string().max(100)).max(1000).optional(),
  /** Include, for every flag, the trace of every rule: why this unit got this value. */
  explain: z.boolean().optional(),
});

export const EvaluateResponse = z.object({
  configVersion: z.number().int(),
  flags: z.array(EvaluationDetails),
});

export const StreamQuery = z.object({
  key: z.string().max(200).optional().describe('sdk key, for clients that cannot send headers (EventSource)'),
});
