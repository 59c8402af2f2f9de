/**
 * @module The options of `createClient`, their defaults, and their normalisation: an unusable
 * value falls back to the default (and, where it matters, is reported), it never throws.
 */
import type { EvaluationContext, StickyBucketStore } from '@cleave/core/evaluation';
import type { StreamRetryOptions } from './config-source/config-synchronizer.js';
import { NO_CONTEXT } from './evaluation-details.js';
import type { EventStorage } from './events/event-storage.js';
import { MAX_EVENTS_PER_REQUEST } from './events/event-types.js';
import type { FetchFunction } from './http-request.js';

/** Event delivery settings. */
export interface EventOptions {
  /** Send exposures and tracked events at all. Default `true` (always off when `offline`). */
  readonly enabled?: boolean;
  /** Send an exposure when an experiment decides a value. Default `true`. */
  readonly exposures?: boolean;
  /** Events per request (at most 500); a full batch is sent at once. Default 100. */
  readonly batchSize?: number;
  /** The longest an event waits before it is sent. Default 5 000 ms. */
  readonly flushIntervalMs?: number;
  /** Waiting events kept in memory; beyond it the oldest are dropped (and reported). Default 10 000. */
  readonly maxQueueSize?: number;
  /**
   * The waiting events' size bound, in characters of their JSON; beyond it the oldest are
   * dropped (and reported). Default 2 097 152 (2 Mi), which also fits browser storage quotas.
   */
  readonly maxQueueBytes?: number;
  /**
   * How long a batch keeps being retried on retryable failures (5xx, 408, 429, network) before
   * it is dropped (and reported). Default 600 000 ms (10 minutes): a server restart or a
   * deployment loses nothing.
   */
  readonly retryForMs?: number;
  /** At most this many attempts per batch as well. Default unlimited (`retryForMs` bounds them). */
  readonly maxAttempts?: number;
  /** Backoff of those retries when the server gives no `Retry-After`. Defaults 1 000 ms and 60 000 ms. */
  readonly retryInitialDelayMs?: number;
  readonly retryMaxDelayMs?: number;
  /** Exposures remembered for de-duplication (LRU of unit, experiment, variation). Default 10 000. */
  readonly exposureCacheSize?: number;
  /** How long `close()` waits for the final flush before dropping what is left. Default 5 000 ms. */
  readonly closeTimeoutMs?: number;
  /**
   * Browsers: keep undelivered events in this storage (pass `window.localStorage`) so that a
   * reload or a closed tab does not lose them; the next client started with the same storage,
   * server and SDK key sends them. Default: memory only.
   */
  readonly storage?: EventStorage;
}

/** Options of {@link createClient}. Only `sdkKey` and (unless `offline`) `apiHost` are required. */
export interface CleaveClientOptions {
  /** The environment's SDK key (client keys are read-only and may ship to browsers). */
  readonly sdkKey: string;
  /** The Cleave server, e.g. `https://cleave.example.com`. Required unless `offline`. */
  readonly apiHost?: string;
  /** Receive changes over server-sent events. Default `true`; `false` polls instead. */
  readonly streaming?: boolean;
  /** Polling period when streaming is off or keeps failing. Default 30 000 ms. */
  readonly pollingIntervalMs?: number;
  /**
   * A config payload to start from (the JSON `client.getPayload()` returned elsewhere, e.g. on the
   * server that rendered the page). It is validated; the client is ready at once with it.
   */
  readonly bootstrap?: unknown;
  /** No network at all: evaluate the bootstrap payload only; events are discarded. Default `false`. */
  readonly offline?: boolean;
  /** Client-level evaluation context, merged under each call's context. */
  readonly context?: EvaluationContext;
  /** `ready()` resolves with `'timeout'` after this long without a configuration. Default 5 000 ms. */
  readonly readyTimeoutMs?: number;
  /** Timeout of config and event requests. Default 10 000 ms. */
  readonly requestTimeoutMs?: number;
  /** A stream silent this long (heartbeats come every ~15 s) is reopened. Default 45 000 ms. */
  readonly streamIdleTimeoutMs?: number;
  /**
   * Stream reconnects: full-jitter backoff from `initialDelayMs` (default 500) doubling up to
   * `maxDelayMs` (default 30 000), or up to `unreachableMaxDelayMs` (default 1 000) while the
   * server gives no answer at all (down, restarting); polling starts after
   * `pollingFallbackAfter` (default 3) failed attempts in a row.
   */
  readonly streamRetry?: Partial<StreamRetryOptions>;
  readonly events?: EventOptions;
  /** Keeps experiment assignments stable across weight changes for experiments that ask for it. */
  readonly stickyBucketStore?: StickyBucketStore;
  /** A `fetch` to use instead of the global one. */
  readonly fetch?: FetchFunction;
}

export interface ResolvedEventOptions {
  readonly enabled: boolean;
  readonly exposures: boolean;
  readonly batchSize: number;
  readonly flushIntervalMs: number;
  readonly maxQueueSize: number;
  readonly maxQueueBytes: number;
  readonly retryForMs: number;
  readonly maxAttempts: number;
  readonly retryInitialDelayMs: number;
  readonly retryMaxDelayMs: number;
  readonly exposureCacheSize: number;
  readonly closeTimeoutMs: number;
  readonly storage: EventStorage | undefined;
}

export interface ResolvedOptions {
  readonly sdkKey: string;
  readonly apiHost: string;
  readonly online: boolean;
  readonly streaming: boolean;
  readonly pollingIntervalMs: number;
  readonly bootstrap: unknown;
  readonly context: EvaluationContext;
  readonly readyTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly streamIdleTimeoutMs: number;
  readonly streamRetry: StreamRetryOptions;
  readonly events: ResolvedEventOptions;
  readonly stickyBucketStore: StickyBucketStore | undefined;
  readonly fetch: FetchFunction;
  /** Why the client cannot go online despite `offline: false`. */
  readonly problems: readonly string[];
}

/** A numeric option's default, its least usable value, and whether it counts whole things. */
type NumberRule = readonly [fallback: number, min: number, whole?: true];

/** The numeric options, by name: a table rather than one call per option (bundle size, issue #14). */
const CLIENT_NUMBERS = {
  pollingIntervalMs: [30_000, 10],
  readyTimeoutMs: [5_000, 0],
  requestTimeoutMs: [10_000, 1],
  streamIdleTimeoutMs: [45_000, 10],
} satisfies Record<string, NumberRule>;

const EVENT_NUMBERS = {
  batchSize: [100, 1, true],
  flushIntervalMs: [5_000, 1],
  maxQueueSize: [10_000, 1, true],
  maxQueueBytes: [2 * 1024 * 1024, 1],
  retryForMs: [600_000, 0],
  maxAttempts: [Number.POSITIVE_INFINITY, 1, true],
  retryInitialDelayMs: [1_000, 1],
  retryMaxDelayMs: [60_000, 1],
  exposureCacheSize: [10_000, 1, true],
  closeTimeoutMs: [5_000, 0],
} satisfies Record<string, NumberRule>;

/** A finite number ≥ `min`, or the fallback. */
function number(value: unknown, fallback: number, min: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= min ? value : fallback;
}

/** Each option of `rules` read from `input`, or its default when unusable (whole ones rounded down). */
function numbers<K extends string>(
  input: Record<string, unknown>,
  rules: Readonly<Record<K, NumberRule>>,
): Record<K, number> {
  const resolved = {} as Record<K, number>;
  for (const name in rules) {
    const [fallback, min, whole] = rules[name];
    const value = number(input[name], fallback, min);
    resolved[name] = whole ? Math.floor(value) : value;
  }
  return resolved;
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

export function resolveOptions(input: CleaveClientOptions): ResolvedOptions {
  const options = record(input);
  const problems: string[] = [];
  const sdkKey = typeof options.sdkKey === 'string' ? options.sdkKey : '';
  const apiHost = typeof options.apiHost === 'string' ? options.apiHost.trim() : '';
  const offline = options.offline === true;
  let fetchFunction = typeof options.fetch === 'function' ? (options.fetch as FetchFunction) : undefined;
  if (fetchFunction === undefined && typeof globalThis.fetch === 'function') {
    fetchFunction = globalThis.fetch.bind(globalThis);
  }
  if (!offline) {
    if (sdkKey === '') problems.push('sdkKey must be a non-empty string');
    if (apiHost === '') problems.push('apiHost is required unless offline is true');
    if (fetchFunction === undefined) problems.push('no fetch implementation: pass the fetch option');
  }
  const streamRetry = record(options.streamRetry);
  const events = record(options.events);
  const eventNumbers = numbers(events, EVENT_NUMBERS);
  const online = !offline && problems.length === 0;
  const context = options.context;
  const initialDelayMs = number(streamRetry.initialDelayMs, 500, 1);
  return {
    ...numbers(options, CLIENT_NUMBERS),
    sdkKey,
    apiHost,
    online,
    streaming: options.streaming !== false,
    bootstrap: options.bootstrap,
    // Without a usable context, the shared frozen empty one, which evaluations recognise at once.
    context:
      typeof context === 'object' && context !== null && !Array.isArray(context)
        ? (context as EvaluationContext)
        : NO_CONTEXT,
    streamRetry: {
      initialDelayMs,
      maxDelayMs: number(streamRetry.maxDelayMs, Math.max(initialDelayMs, 30_000), initialDelayMs),
      unreachableMaxDelayMs: number(streamRetry.unreachableMaxDelayMs, 1_000, 1),
      pollingFallbackAfter: Math.floor(number(streamRetry.pollingFallbackAfter, 3, 1)),
    },
    events: {
      ...eventNumbers,
      enabled: online && events.enabled !== false,
      exposures: events.exposures !== false,
      batchSize: Math.min(MAX_EVENTS_PER_REQUEST, eventNumbers.batchSize),
      storage: isEventStorage(events.storage) ? events.storage : undefined,
    },
    stickyBucketStore: isStickyBucketStore(options.stickyBucketStore) ? options.stickyBucketStore : undefined,
    // Only an online client sends requests, and it is online only with a fetch (see `problems`).
    fetch: fetchFunction as FetchFunction,
    problems,
  };
}

/** An object with these two methods (a duck-typed store). */
function hasMethods(value: unknown, first: string, second: string): boolean {
  const object = record(value);
  return typeof object[first] === 'function' && typeof object[second] === 'function';
}

function isStickyBucketStore(value: unknown): value is StickyBucketStore {
  return hasMethods(value, 'get', 'set');
}

function isEventStorage(value: unknown): value is EventStorage {
  return hasMethods(value, 'getItem', 'setItem');
}
