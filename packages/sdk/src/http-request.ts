/**
 * @module HTTP plumbing shared by config fetching, streaming and event sending.
 */
import { CleaveError, type CleaveErrorCode, describeError } from './cleave-error.js';
import { startTimer } from './timers.js';

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
 * URL layout and the authentication header.
 */
export function callApi(
  server: ServerAccess,
  path: string,
  headers: Record<string, string>,
  init: RequestInit,
): Promise<Response> {
  return server.fetch(apiUrl(server.apiHost, path), {
    ...init,
    headers: { Authorization: `Bearer ${server.sdkKey}`, ...headers },
  });
}

/**
 * The error of a failed answer: `unauthorized` for 401 and 403 (a rejected key), else `code`,
 * with the server's explanation and body.
 */
export async function responseError(
  response: Response,
  code: CleaveErrorCode,
  prefix: string,
): Promise<CleaveError> {
  const { text, body } = await describeErrorResponse(response);
  const status = response.status;
  return new CleaveError(status === 401 || status === 403 ? 'unauthorized' : code, `${prefix}${text}`, {
    status,
    details: body,
  });
}

/** An AbortSignal that aborts when `timeoutMs` passes or `parent` aborts, and a way to release it. */
export function timeoutSignal(
  timeoutMs: number,
  parent?: AbortSignal,
): { signal: AbortSignal; release(): void } {
  const controller = new AbortController();
  const onAbort = () => controller.abort(parent?.reason);
  if (parent?.aborted) controller.abort(parent.reason);
  else parent?.addEventListener('abort', onAbort, { once: true });
  const timer = startTimer(() => controller.abort(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
  return {
    signal: controller.signal,
    release: () => {
      timer.cancel();
      parent?.removeEventListener('abort', onAbort);
    },
  };
}

/** The server's `{ error: { code, message } }` body in one line, or the status text. */
export async function describeErrorResponse(response: Response): Promise<{ text: string; body: unknown }> {
  let body: unknown;
  try {
    const text = await response.text();
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  const error =
    typeof body === 'object' && body !== null
      ? (body as { error?: { code?: unknown; message?: unknown } }).error
      : undefined;
  const code = typeof error?.code === 'string' ? error.code : undefined;
  const message = typeof error?.message === 'string' ? error.message : undefined;
  const status = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
  const text =
    code !== undefined || message !== undefined
      ? `${status} (${[code, message].filter(Boolean).join(': ')})`
      : status;
  return { text, body };
}

/** Why a request failed before any response: the abort reason when it timed out. */
export function describeRequestFailure(error: unknown, signal: AbortSignal): string {
  if (signal.aborted && signal.reason instanceof Error) return signal.reason.message;
  return describeError(error);
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
