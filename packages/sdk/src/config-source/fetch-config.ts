/**
 * @module `GET /api/v1/sdk/config` with ETag revalidation.
 */
import { CleaveError, failure } from '../cleave-error.js';
import { type FetchFunction, request, responseError, timeoutSignal } from '../http-request.js';

export interface FetchConfigOptions {
  readonly apiHost: string;
  readonly sdkKey: string;
  /** The ETag of the payload in hand: sent as `If-None-Match`. */
  readonly etag?: string | undefined;
  readonly fetch: FetchFunction;
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
}

export type FetchConfigResult =
  /** A new payload (not yet validated) and its ETag. */
  | { readonly status: 'modified'; readonly payload: unknown; readonly etag: string | undefined }
  /** 304: the payload in hand is current. */
  | { readonly status: 'not-modified' };

/**
 * Fetches the environment's config payload. Throws a {@link CleaveError}: `unauthorized` on
 * 401/403, `invalid_payload` on a body that is not JSON, `config_fetch_failed` otherwise.
 *
 * @example
 * const result = await fetchConfig({ apiHost, sdkKey, etag, fetch, timeoutMs: 10_000, signal });
 * if (result.status === 'modified') apply(result.payload, result.etag);
 */
export async function fetchConfig(options: FetchConfigOptions): Promise<FetchConfigResult> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (options.etag !== undefined) headers['If-None-Match'] = options.etag;
  const { signal, release } = timeoutSignal(options.timeoutMs, options.signal);
  const what = 'config request';
  try {
    const response = await request(options, '/sdk/config', headers, { signal }, 'config_fetch_failed', what);
    // 304: release() ends the empty body along with the request.
    if (response.status === 304) return { status: 'not-modified' };
    if (!response.ok) throw await responseError(response, 'config_fetch_failed', what);
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      throw Object.assign(failure('config_fetch_failed', what, error, signal), { status: response.status });
    }
    try {
      return {
        status: 'modified',
        payload: JSON.parse(text),
        etag: response.headers.get('ETag') ?? undefined,
      };
    } catch (error) {
      throw new CleaveError('invalid_payload', 'config response is not JSON', { cause: error, status: 200 });
    }
  } finally {
    release();
  }
}
