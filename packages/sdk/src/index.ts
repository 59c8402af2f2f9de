/**
 * @module @cleave/sdk
 * Cleave's JavaScript SDK for Node and browsers: streams the environment's configuration,
 * evaluates flags and experiments locally with `@cleave/core`, and sends exposures and tracked
 * events in batches. It never throws into the application.
 *
 * OpenFeature providers: `@cleave/sdk/openfeature`. React bindings: `@cleave/sdk/react`.
 *
 * @example
 * import { createClient } from '@cleave/sdk';
 * const client = createClient({ sdkKey: 'clv_sdk_…', apiHost: 'https://cleave.example.com' });
 * await client.ready();
 * client.getBooleanValue('new-checkout', false, { targetingKey: 'user-42' });
 * client.track('purchase', { value: 42.5, context: { targetingKey: 'user-42' } });
 * await client.close();
 */

export type {
  ConfigPayload,
  ErrorCode,
  EvaluationContext,
  EvaluationResult,
  ExperimentAssignment,
  FlagMetadata,
  FlagValue,
  JsonValue,
  Reason,
  StickyBucketStore,
} from '@cleave/core/evaluation';
export { MemoryStickyBucketStore } from '@cleave/core/evaluation';
export { CleaveError, type CleaveErrorCode } from './cleave-error.js';
export { CleaveClient, createClient } from './client.js';
export type { Unsubscribe } from './client-emitter.js';
export type { CleaveClientOptions, EventOptions } from './client-options.js';
export type {
  CleaveClientEvents,
  ClientStatus,
  ReadyEvent,
  ReadyStatus,
  TrackOptions,
} from './client-types.js';
export type { StreamRetryOptions, SyncMode } from './config-source/config-synchronizer.js';
export type { ConfigChange, PayloadSource } from './config-store.js';
export type { EvaluationDetails, SdkErrorCode } from './evaluation-details.js';
export type { EventStorage } from './events/event-storage.js';
export type { ExposureEvent, SdkEvent, TrackEvent } from './events/event-types.js';
export type { FetchFunction } from './http-request.js';
export { loadRegexEngine } from './regex-engine.js';

/** Identifies this SDK (e.g. in diagnostics). */
export const SDK_NAME = 'cleave-js';
