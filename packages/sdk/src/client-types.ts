/**
 * @module The client's public vocabulary: statuses, events and `track` options.
 */
import type { EvaluationContext, JsonValue } from '@cleave/core/evaluation';
import type { CleaveError } from './cleave-error.js';
import type { ConfigChange, PayloadSource } from './config-store.js';

/**
 * - `not_ready`: no configuration yet; getters serve the caller's defaults.
 * - `ready`: a configuration is in use and the server was reachable at last contact.
 * - `stale`: a configuration is in use, but the server cannot be reached right now.
 * - `closed`: `close()` was called; getters still serve the last configuration.
 */
export type ClientStatus = 'not_ready' | 'ready' | 'stale' | 'closed';

/**
 * How `ready()` resolved: `ready` (a configuration is in use), `timeout` (`readyTimeoutMs` passed
 * first; the client keeps trying and emits `ready` later), `failed` (none will come without a fix:
 * the key was rejected, or offline without a usable bootstrap, or unusable options), `closed`.
 */
export type ReadyStatus = 'ready' | 'timeout' | 'failed' | 'closed';

/** The payload of the `ready` event. */
export interface ReadyEvent {
  readonly version: number;
  readonly source: PayloadSource;
}

/** Events of a {@link CleaveClient} and their payloads. */
export interface CleaveClientEvents {
  /** The first configuration is in use. A listener added later is called at once. */
  ready: ReadyEvent;
  /** A new configuration is in use (also after the first one); lists the flags it may change. */
  change: ConfigChange;
  /** A failure the client recovered from. */
  error: CleaveError;
  status: ClientStatus;
}

/** Options of {@link CleaveClient.track}. */
export interface TrackOptions {
  /** A numeric value (revenue, duration…), summed or averaged by metrics. */
  readonly value?: number;
  readonly properties?: { readonly [key: string]: JsonValue };
  /** Whose event it is: merged over the client context; its `targetingKey` is the unit id. */
  readonly context?: EvaluationContext;
}
