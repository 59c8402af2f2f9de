/**
 * @module One connection to `GET /api/v1/sdk/stream`, read with `fetch` and a streaming body
 * reader rather than `EventSource`, in Node and browsers alike: that way the SDK key travels in
 * the `Authorization` header (not the URL, where logs and proxies keep it) and `Last-Event-ID`
 * is ours to set.
 */
import { CleaveError, failure } from '../cleave-error.js';
import { type FetchFunction, request, responseError, timeoutSignal } from '../http-request.js';
import { type SseEvent, SseParser } from './sse-parser.js';

export interface StreamConnectionOptions {
  readonly apiHost: string;
  readonly sdkKey: string;
  /** The config version in hand: the server sends a config event at connect unless it is current. */
  readonly lastEventId: string | undefined;
  readonly fetch: FetchFunction;
  /** Silence (no byte, not even a heartbeat) longer than this means the connection is dead. */
  readonly idleTimeoutMs: number;
  /** Aborting ends the connection quietly (the client is closing). */
  readonly signal: AbortSignal;
  /** Anything arrived: an event or a heartbeat comment. */
  onActivity(): void;
  onEvent(event: SseEvent): void;
  onRetryHint(delayMs: number): void;
}

/** How a connection ended. `error` is undefined when it ended cleanly or was aborted. */
export interface StreamEnd {
  /** The server gave an HTTP answer (any status): it is up, whatever else went wrong. */
  readonly responded: boolean;
  readonly error: CleaveError | undefined;
}

/**
 * Runs one stream connection until it ends. Never throws; a failure is in the result.
 *
 * @example
 * const end = await runStreamConnection({ apiHost, sdkKey, lastEventId: '7', fetch, idleTimeoutMs: 45_000,
 *   signal, onActivity, onEvent: (event) => apply(JSON.parse(event.data)), onRetryHint });
 * if (end.error) report(end.error);
 */
export async function runStreamConnection(options: StreamConnectionOptions): Promise<StreamEnd> {
  // Silence longer than the idle timeout aborts the connection, as a timeout aborts a request.
  const { signal, touch, release } = timeoutSignal(options.idleTimeoutMs, options.signal);
  let responded = false;
  const end = (error?: CleaveError): StreamEnd => ({ responded, error });
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  try {
    const headers: Record<string, string> = { Accept: 'text/event-stream' };
    if (options.lastEventId !== undefined) headers['Last-Event-ID'] = options.lastEventId;
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
          { status: response.status },
        ),
      );
    }
    const parser = new SseParser({
      onEvent: (event) => options.onEvent(event),
      onRetry: (delayMs) => options.onRetryHint(delayMs),
    });
    const decoder = new TextDecoder();
    reader = body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      touch();
      options.onActivity();
      parser.push(decoder.decode(value, { stream: true }));
    }
    return end();
  } catch (error) {
    if (options.signal.aborted) return end();
    if (signal.aborted) {
      return end(
        new CleaveError('stream_timeout', `stream silent for more than ${options.idleTimeoutMs} ms`),
      );
    }
    return end(error instanceof CleaveError ? error : failure('stream_failed', 'stream', error));
  } finally {
    release();
    reader?.cancel().catch(() => undefined);
  }
}
