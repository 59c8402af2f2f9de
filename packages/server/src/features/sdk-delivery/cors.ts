/**
 * @module features/sdk-delivery/cors
 * Browsers on any origin may call the SDK endpoints (config, stream, events, evaluation, OFREP):
 * they authenticate with a browser-safe sdk key in a header, never with cookies, so allowing every
 * origin exposes nothing. The management API stays same-origin: it is where cookie sessions live.
 *
 * The headers are those `@fastify/cors` sends for these options (reflected origin, no credentials,
 * `Vary: Origin` on every answer, strict preflights answered with 204 before authentication), which
 * cors.test.ts checks answer for answer against the plugin. They are written by one synchronous
 * hook with every value computed once: the plugin's per-request option merging was a measurable
 * share of an SDK request's cost.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';

const SDK_PATHS = ['/api/v1/sdk/', '/api/v1/events', '/api/v1/evaluate', '/ofrep/'];

export const SDK_CORS = {
  methods: ['GET', 'POST', 'OPTIONS'],
  allowedHeaders: ['authorization', 'content-type', 'content-encoding', 'if-none-match', 'last-event-id'],
  exposedHeaders: ['etag', 'retry-after', 'x-request-id'],
  // Preflights are cached for a day: SDK hosts call the same endpoints all the time.
  maxAgeSeconds: 86_400,
} as const;

const ALLOW_METHODS = SDK_CORS.methods.join(', ');
const ALLOW_HEADERS = SDK_CORS.allowedHeaders.join(', ');
const EXPOSE_HEADERS = SDK_CORS.exposedHeaders.join(', ');
const MAX_AGE = String(SDK_CORS.maxAgeSeconds);

export function isSdkPath(url: string): boolean {
  for (const prefix of SDK_PATHS) if (url.startsWith(prefix)) return true;
  return false;
}

/** Answers differ by Origin on every path (allowed on some, not others): caches must know. */
function varyByOrigin(reply: FastifyReply): void {
  const vary = reply.getHeader('vary');
  if (vary === undefined) {
    reply.header('vary', 'Origin');
    return;
  }
  const names = String(vary);
  if (names === '*' || names.split(',').some((name) => name.trim().toLowerCase() === 'origin')) return;
  reply.header('vary', `${names}, Origin`);
}

function applySdkCors(request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void {
  varyByOrigin(reply);
  if (!isSdkPath(request.url)) {
    done();
    return;
  }
  const origin = request.headers.origin;
  if (origin) reply.header('access-control-allow-origin', origin);
  reply.header('access-control-expose-headers', EXPOSE_HEADERS);
  if (request.method !== 'OPTIONS') {
    done();
    return;
  }
  // A preflight is answered here, before authentication: browsers send no credentials with it.
  if (!origin || !request.headers['access-control-request-method']) {
    reply.status(400).type('text/plain').send('Invalid Preflight Request');
    return;
  }
  reply
    .header('access-control-allow-methods', ALLOW_METHODS)
    .header('access-control-allow-headers', ALLOW_HEADERS)
    .header('access-control-max-age', MAX_AGE)
    .code(204)
    .header('content-length', '0')
    .send();
}

export async function registerSdkCors(app: FastifyInstance): Promise<void> {
  app.addHook('onRequest', applySdkCors);
  // OPTIONS must reach the hook rather than fail routing; off SDK paths there is nothing to allow.
  app.options('*', { schema: { hide: true } }, (_request, reply) => {
    reply.callNotFound();
  });
}
