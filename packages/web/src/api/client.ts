/**
 * @module api/client
 * The one typed client of Cleave's API. Paths, parameters and bodies come from the server's
 * OpenAPI document (`schema.gen.ts`, generated in the build). The session is a cookie; every change
 * must echo the session's CSRF token, which this module keeps once sign-in or the session read
 * hands it over.
 */
import createClient, { type Middleware } from 'openapi-fetch';
import { ApiError } from './api-error.js';
import type { paths } from './schema.gen.js';

let csrfToken: string | undefined;

/** Remembers the CSRF token of the current session (undefined after sign-out). */
export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The CSRF header a change needs (none for reads), for requests made outside the typed client. */
export function csrfHeaders(method: string): Record<string, string> {
  return csrfToken && !SAFE_METHODS.has(method.toUpperCase()) ? { 'x-csrf-token': csrfToken } : {};
}

const csrf: Middleware = {
  onRequest({ request }) {
    if (csrfToken && !SAFE_METHODS.has(request.method)) request.headers.set('x-csrf-token', csrfToken);
    return request;
  },
};

function createApi(baseUrl: string) {
  const client = createClient<paths>({
    baseUrl,
    credentials: 'same-origin',
    // Looked up on every call rather than captured once, so tests can stand in for the network.
    fetch: (request) => globalThis.fetch(request),
  });
  client.use(csrf);
  return client;
}

/** Same origin as the page: the server serves the UI and the API together. */
export const api = createApi(typeof window === 'undefined' ? 'http://localhost' : window.location.origin);

/**
 * Unwraps an openapi-fetch result: the data, or an {@link ApiError} carrying the API's error body,
 * so TanStack Query sees failures as errors.
 */
export async function unwrap<T>(
  pending: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  const { data, error, response } = await pending;
  if (error !== undefined || !response.ok) throw ApiError.from(response.status, error);
  return data as T;
}
