/**
 * @module The one error type the SDK reports. The SDK never throws into the application: every
 * failure becomes a `CleaveError` delivered to `client.on('error', …)` listeners.
 */

/** Stable error codes: applications may branch on them. */
export type CleaveErrorCode =
  /** An option is unusable (no `apiHost` while online, a non-string `sdkKey`…). */
  | 'invalid_options'
  /** The server rejected the SDK key (401 or 403). */
  | 'unauthorized'
  /** `GET /sdk/config` failed (network, timeout, 5xx, unexpected status). */
  | 'config_fetch_failed'
  /** The stream could not be opened or broke off. */
  | 'stream_failed'
  /** The stream was silent for longer than `streamIdleTimeoutMs`; it is reopened. */
  | 'stream_timeout'
  /** A received or bootstrapped payload failed validation; the last good one stays in use. */
  | 'invalid_payload'
  /** A batch of events could not be delivered after every retry and was dropped. */
  | 'events_send_failed'
  /** The server refused events (4xx, or entries listed as rejected in a 202); they are dropped. */
  | 'events_rejected'
  /** The event queue was full: the oldest events were dropped. */
  | 'events_dropped'
  /** `events.storage` could not be read or written; undelivered events stay in memory only. */
  | 'events_storage_failed'
  /** `track` was called with something that cannot be sent (no unit id, a bad name or value). */
  | 'invalid_event'
  /** An evaluation failed unexpectedly; the caller's default value was served. */
  | 'evaluation_failed'
  /** A listener of a client event threw; the SDK caught it. */
  | 'listener_failed';

/**
 * A failure the SDK recovered from: it went on serving the last known configuration or the
 * caller's default. `status` is the HTTP status when a response caused it.
 *
 * @example
 * client.on('error', (error) => {
 *   if (error.code === 'unauthorized') logger.error('check the Cleave SDK key');
 *   else logger.warn({ code: error.code, status: error.status }, error.message);
 * });
 */
export class CleaveError extends Error {
  override readonly name = 'CleaveError';
  readonly code: CleaveErrorCode;
  readonly status: number | undefined;
  /** Extra facts: validation issues, rejected event ids, the server's error body. */
  readonly details: unknown;

  constructor(
    code: CleaveErrorCode,
    message: string,
    options: { status?: number; details?: unknown; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = options.status;
    this.details = options.details;
  }
}

/** Describes any thrown value in one line. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    // undici reports "fetch failed" and hides the useful part (ECONNREFUSED…) in `cause`.
    const cause = (error as { cause?: unknown }).cause;
    const detail = cause instanceof Error && cause.message !== error.message ? `: ${cause.message}` : '';
    return `${error.message}${detail}`;
  }
  return String(error);
}

/**
 * `<what> failed: <why>` as `code`, caused by `error`; the abort reason is the why when `signal`
 * aborted (a timeout says so, where fetch would only say "aborted").
 */
export function failure(
  code: CleaveErrorCode,
  what: string,
  error: unknown,
  signal?: AbortSignal,
): CleaveError {
  const reason = signal?.aborted ? signal.reason : undefined;
  return new CleaveError(code, `${what} failed: ${describeError(reason instanceof Error ? reason : error)}`, {
    cause: error,
  });
}
