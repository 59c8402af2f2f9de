/**
 * @module Keeping the configuration current: an ETag fetch at start, then the SSE stream with
 * reconnects, and polling when the stream keeps failing (or when streaming is off).
 *
 * Stream policy:
 * - Without a configuration in hand, one `GET /sdk/config` comes first: it is the fastest way to
 *   become ready, and works even where a proxy buffers event streams. With one in hand (a
 *   bootstrap) the stream opens at once with `Last-Event-ID` = its version, so the server only
 *   sends a config event if something changed.
 * - Each connection that ends, cleanly or not, is followed by a reconnect after a full-jitter
 *   backoff delay (backoff.ts). The attempt counter resets only when the connection before had
 *   delivered data and lasted `STABLE_CONNECTION_MS`: a server that accepts and then drops every
 *   connection is backed off like one that refuses them.
 * - After `pollingFallbackAfter` consecutive failed attempts, polling starts (at once, then every
 *   `pollingIntervalMs`, with the ETag) while the stream is still retried at the backoff cap.
 *   The first byte from a reconnected stream stops polling again.
 *
 * The stream is read with `fetch` and a streaming body reader rather than `EventSource`, in Node
 * and browsers alike: that way the SDK key travels in the `Authorization` header (not the URL,
 * where logs and proxies keep it) and `Last-Event-ID` is ours to set.
 */
import { CleaveError, failure } from '../cleave-error.js';
import { type FetchFunction, request, responseError, timeoutSignal } from '../http-request.js';
import { sleep } from '../timers.js';
import { backoffDelay } from './backoff.js';
import { Poller } from './poller.js';
import { type SseEvent, SseParser } from './sse-parser.js';

/** A connection that delivered data and lived this long counts as a success. */
export const STABLE_CONNECTION_MS = 30_000;

export interface StreamRetryOptions {
  /** First reconnect delay ceiling; doubles per failed attempt. */
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  /**
   * The ceiling while the server gives no answer at all (connection refused or reset, timeout).
   * A server that answers with errors is overloaded and is backed off up to `maxDelayMs`; one
   * that does not answer costs nothing to try, and trying often is what notices its return
   * within a second instead of a grown backoff window later.
   */
  readonly unreachableMaxDelayMs: number;
  /** Failed stream attempts in a row before polling starts alongside the retries. */
  readonly pollingFallbackAfter: number;
}

export interface ConfigSynchronizerOptions {
  readonly apiHost: string;
  readonly sdkKey: string;
  readonly fetch: FetchFunction;
  readonly requestTimeoutMs: number;
  readonly streaming: boolean;
  readonly pollingIntervalMs: number;
  readonly streamIdleTimeoutMs: number;
  readonly streamRetry: StreamRetryOptions;
  /** The version of the configuration in hand. */
  currentVersion(): number | undefined;
  /** Validates and applies a received payload; true when it is now the one in hand. */
  applyPayload(raw: unknown, source: 'fetch' | 'stream'): boolean | Promise<boolean>;
  /** The server was reached and the configuration in hand is current. */
  onContact(): void;
  onError(error: CleaveError): void;
}

/** How a stream connection ended. `error` is undefined when it ended cleanly or was aborted. */
export interface StreamEnd {
  /** The server gave an HTTP answer (any status): it is up, whatever else went wrong. */
  readonly responded: boolean;
  readonly error: CleaveError | undefined;
}

/** What the synchronizer is doing, for diagnostics and tests. */
export type SyncMode = 'idle' | 'streaming' | 'streaming-with-polling' | 'polling' | 'stopped';

/**
 * @example
 * const sync = new ConfigSynchronizer({ apiHost, sdkKey, fetch, streaming: true, …,
 *   applyPayload: (raw, source) => store.apply(raw, source).kind !== 'invalid', onContact, onError });
 * sync.start();
 * sync.stop();
 */
export class ConfigSynchronizer {
  readonly #options: ConfigSynchronizerOptions;
  readonly #stopController = new AbortController();
  readonly #poller: Poller;
  #etag: string | undefined;
  /** The version the ETag belongs to: after a stream update the ETag no longer describes it. */
  #etagVersion: number | undefined;
  #retryHintMs: number | undefined;
  #started = false;
  #streamActive = false;
  /** The last stream failure reported in the current run of failures (see #reportStreamError). */
  #reported: { code: string; at: number } | undefined;

  constructor(options: ConfigSynchronizerOptions) {
    this.#options = options;
    this.#poller = new Poller(options.pollingIntervalMs, () => this.refresh());
  }

  get mode(): SyncMode {
    if (this.#stopController.signal.aborted) return 'stopped';
    if (!this.#started) return 'idle';
    if (!this.#options.streaming) return 'polling';
    return this.#poller.running ? 'streaming-with-polling' : 'streaming';
  }

  start(): void {
    if (this.#started || this.#stopController.signal.aborted) return;
    this.#started = true;
    if (this.#options.streaming) {
      this.#runStream().catch((error: unknown) =>
        this.#options.onError(failure('stream_failed', 'stream loop', error)),
      );
    } else {
      this.#poller.start({ immediately: true });
    }
  }

  stop(): void {
    this.#poller.stop();
    this.#stopController.abort();
  }

  /** One `GET /sdk/config`, revalidated with the ETag when it still describes the payload in hand. */
  async refresh(): Promise<void> {
    const options = this.#options;
    const stopped = this.#stopController.signal;
    if (stopped.aborted) return;
    const version = options.currentVersion();
    const headers: Record<string, string> = { Accept: 'application/json' };
    // The ETag of the payload in hand. Without one (a bootstrap, a stream update, or a browser
    // denied the header by CORS) the contract's form `"<version>"` is sent: if the server
    // tagged versions otherwise, it simply answers 200.
    if (version !== undefined) {
      headers['If-None-Match'] = this.#etagVersion === version && this.#etag ? this.#etag : `"${version}"`;
    }
    const what = 'config request';
    const { signal, release } = timeoutSignal(options.requestTimeoutMs, stopped);
    try {
      const response = await request(
        options,
        '/sdk/config',
        headers,
        { signal },
        'config_fetch_failed',
        what,
      );
      // 304: the payload in hand is current (release() ends its empty body with the request).
      const modified = response.status !== 304;
      let payload: unknown;
      if (modified) {
        if (!response.ok) throw await responseError(response, 'config_fetch_failed', what);
        let text: string;
        try {
          text = await response.text();
        } catch (error) {
          throw Object.assign(failure('config_fetch_failed', what, error, signal), {
            status: response.status,
          });
        }
        try {
          payload = JSON.parse(text);
        } catch (error) {
          throw new CleaveError('invalid_payload', 'config response is not JSON', {
            cause: error,
            status: 200,
          });
        }
      }
      release();
      if (stopped.aborted) return;
      // A promise when the payload waits for the regex engine (regex-engine.ts).
      if (modified) {
        if (!(await options.applyPayload(payload, 'fetch'))) return;
        this.#etag = response.headers.get('ETag') ?? undefined;
        this.#etagVersion = options.currentVersion();
      }
      options.onContact();
    } catch (error) {
      if (stopped.aborted) return;
      options.onError(error instanceof CleaveError ? error : failure('config_fetch_failed', what, error));
    } finally {
      release();
    }
  }

  async #runStream(): Promise<void> {
    const signal = this.#stopController.signal;
    if (this.#options.currentVersion() === undefined) await this.refresh();
    const retry = this.#options.streamRetry;
    // Failed attempts in a row (polling fallback), and among them those the server answered:
    // only those grow the full backoff, so that an outage's many unanswered attempts do not
    // leave a long wait behind for the next connection that breaks.
    let attempt = 0;
    let answered = 0;
    let unanswered = 0;
    while (!signal.aborted) {
      const startedAt = Date.now();
      this.#streamActive = false;
      const end = await this.#connect();
      if (signal.aborted) return;
      if (end.error !== undefined) this.#reportStreamError(end.error);
      const stable = this.#streamActive && Date.now() - startedAt >= STABLE_CONNECTION_MS;
      if (stable) {
        attempt = 0;
        answered = 0;
        unanswered = 0;
      } else {
        attempt += 1;
        if (end.responded) answered += 1;
        else unanswered += 1;
      }
      if (attempt >= retry.pollingFallbackAfter) this.#poller.start({ immediately: true });
      const backoffAttempt = end.responded ? answered : unanswered;
      await sleep(reconnectDelay(backoffAttempt, end, retry, this.#retryHintMs), signal);
    }
  }

  /** Runs one stream connection until it ends. Never throws; a failure is in the result. */
  async #connect(): Promise<StreamEnd> {
    const options = this.#options;
    // Silence (no byte, not even a heartbeat) longer than the idle timeout means the connection
    // is dead: it aborts the request as a timeout would. Stopping ends it quietly.
    const { signal, touch, release } = timeoutSignal(
      options.streamIdleTimeoutMs,
      this.#stopController.signal,
    );
    let responded = false;
    const end = (error?: CleaveError): StreamEnd => ({ responded, error });
    let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
    try {
      const headers: Record<string, string> = { Accept: 'text/event-stream' };
      // The version in hand: the server sends a config event at connect unless it is current.
      const version = options.currentVersion();
      if (version !== undefined) headers['Last-Event-ID'] = String(version);
      const response = await request(options, '/sdk/stream', headers, { signal }, 'stream_failed', 'stream');
      responded = true;
      if (!response.ok) return end(await responseError(response, 'stream_failed', 'stream'));
      const contentType = response.headers.get('Content-Type') ?? '';
      const body = response.body;
      if (!contentType.toLowerCase().startsWith('text/event-stream') || body === null) {
        return end(
          new CleaveError(
            'stream_failed',
            `stream failed: not an event stream (${contentType || 'no content type'})`,
            {
              status: response.status,
            },
          ),
        );
      }
      const parser = new SseParser({
        onEvent: (event) => this.#onStreamEvent(event),
        onRetry: (delayMs) => {
          this.#retryHintMs = delayMs;
        },
      });
      const decoder = new TextDecoder();
      reader = body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        touch();
        this.#onStreamActivity();
        parser.push(decoder.decode(value, { stream: true }));
      }
      return end();
    } catch (error) {
      if (this.#stopController.signal.aborted) return end();
      if (signal.aborted) {
        return end(
          new CleaveError('stream_timeout', `stream silent for more than ${options.streamIdleTimeoutMs} ms`),
        );
      }
      return end(error instanceof CleaveError ? error : failure('stream_failed', 'stream', error));
    } finally {
      release();
      reader?.cancel().catch(() => undefined);
    }
  }

  /**
   * Reports a failed stream attempt: the first of a run of failures, a failure of another kind,
   * and then at most one per `maxDelayMs`. While the server is down the stream is retried about
   * every second; an error per attempt would flood the application's logs.
   */
  #reportStreamError(error: CleaveError): void {
    const now = Date.now();
    const last = this.#reported;
    if (
      last !== undefined &&
      last.code === error.code &&
      now - last.at < this.#options.streamRetry.maxDelayMs
    ) {
      return;
    }
    this.#reported = { code: error.code, at: now };
    this.#options.onError(error);
  }

  #onStreamActivity(): void {
    // Reached again after failures (the stream's first byte): status, events and config resume.
    if (this.#streamActive) return;
    this.#streamActive = true;
    this.#reported = undefined;
    // The stream works again: polling is no longer needed.
    this.#poller.stop();
    this.#options.onContact();
  }

  #onStreamEvent(event: SseEvent): void {
    if (event.type !== 'config') return;
    let payload: unknown;
    try {
      payload = JSON.parse(event.data);
    } catch (error) {
      this.#options.onError(
        new CleaveError('invalid_payload', 'stream config event is not JSON', { cause: error }),
      );
      return;
    }
    void this.#options.applyPayload(payload, 'stream');
  }
}

/**
 * The wait before reconnect attempt `attempt`: full jitter up to the grown backoff ceiling, or up
 * to `unreachableMaxDelayMs` when the last attempt got no HTTP answer at all. A device that
 * knows it is offline (`navigator.onLine === false`) is not that case: trying often would only
 * spend its battery.
 *
 * @example
 * reconnectDelay(4, { responded: false, … }, retry, undefined); // < retry.unreachableMaxDelayMs
 */
export function reconnectDelay(
  attempt: number,
  end: Pick<StreamEnd, 'responded'>,
  retry: StreamRetryOptions,
  retryHintMs: number | undefined,
  random: () => number = Math.random,
): number {
  const initialDelayMs = Math.min(retryHintMs ?? retry.initialDelayMs, retry.maxDelayMs);
  const offline = (globalThis as { navigator?: { onLine?: boolean } }).navigator?.onLine === false;
  const maxDelayMs =
    end.responded || offline ? retry.maxDelayMs : Math.min(retry.maxDelayMs, retry.unreachableMaxDelayMs);
  return backoffDelay(attempt, { initialDelayMs: Math.min(initialDelayMs, maxDelayMs), maxDelayMs }, random);
}
