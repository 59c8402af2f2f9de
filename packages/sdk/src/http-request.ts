/**
 * @module HTTP plumbing shared by config fetching, streaming and event sending.
 */
import { CleaveError, type CleaveErrorCode, failure } from './cleave-error.js';
import { startTimer, type Timer } from './timers.js';

/** The `fetch` the SDK uses: the global one unless the application supplies its own. */
export type FetchFunction = (input: string, init?: RequestInit) => Promise<Response>;

/** Joins the API host and an API path, tolerating a trailing slash on the host. */
export function apiUrl(apiHost: string, path: string): string {
  return `${apiHost.replace(/\/+$/, '')}/api/v1${path}`;
}

/** What every request to the server needs. */
export interface ServerAccess {
  readonly apiHost: string;
  readonly sdkKey: string;
  readonly fetch: FetchFunction;
}

/**
 * Sends a request with the SDK key to an API path of the server: the one place that knows the
 * URL layout and the authentication header, used by config fetching, streaming and event
 * sending. Resolves with the server's answer, whatever its status; a request that got no answer
 * (network failure, timeout, abort) throws `code` with `<what> failed: <why>` and no status.
 */
export async function request(
  server: ServerAccess,
  path: string,
  headers: Record<string, string>,
  init: RequestInit & { signal: AbortSignal },
  code: CleaveErrorCode,
  what: string,
): Promise<Response> {
  try {
    return await server.fetch(apiUrl(server.apiHost, path), {
      ...init,
      headers: { Authorization: `Bearer ${server.sdkKey}`, ...headers },
    });
  } catch (error) {
    throw failure(code, what, error, init.signal);
  }
}

/**
 * The error of a failed answer, `<what> failed: HTTP <status> (<server's code: message>)`:
 * `unauthorized` for 401 and 403 (a rejected key), else `code`, with the status and the
 * server's body in `details`.
 */
export async function responseError(
  response: Response,
  code: CleaveErrorCode,
  what: string,
): Promise<CleaveError> {
  let body: unknown;
  try {
    body = JSON.parse(await response.text());
  } catch {
    // No body, or not JSON: the status says enough.
  }
  const error = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  const explanation = [error?.code, error?.message].filter((part) => typeof part === 'string' && part !== '');
  const { status, statusText } = response;
  return new CleaveError(
    status === 401 || status === 403 ? 'unauthorized' : code,
    `${what} failed: HTTP ${status}${statusText ? ` ${statusText}` : ''}${explanation.length > 0 ? ` (${explanation.join(': ')})` : ''}`,
    { status, details: body },
  );
}

/**
 * An AbortSignal that aborts when `parent` aborts, or when `timeoutMs` passes without `touch()`
 * (a request's timeout, a stream's silence); `release()` stops the timer and aborts whatever is
 * left of the request.
 */
export function timeoutSignal(
  timeoutMs: number,
  parent: AbortSignal,
): { signal: AbortSignal; touch(): void; release(): void } {
  const controller = new AbortController();
  const abort = (reason?: unknown) => controller.abort(reason);
  const onAbort = () => abort(parent.reason);
  let timer: Timer | undefined;
  const touch = () => {
    timer?.cancel();
    timer = startTimer(() => abort(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
  };
  if (parent.aborted) onAbort();
  else parent.addEventListener('abort', onAbort, { once: true });
  touch();
  return {
    signal: controller.signal,
    touch,
    release: () => {
      timer?.cancel();
      parent.removeEventListener('abort', onAbort);
      abort();
    },
  };
}

/**
 * Parses `Retry-After` (RFC 9110 §10.2.3): delay-seconds or an HTTP date. `undefined` when
 * absent or unreadable.
 */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // HTTP dates (IMF-fixdate and the two obsolete forms) start with a day name; without this
  // check Date.parse would read "-1" as the year -1.
  if (!/^[A-Za-z]{3}/.test(text)) return undefined;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
