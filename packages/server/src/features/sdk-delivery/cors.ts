/**
 * @module features/sdk-delivery/cors
 * Browsers on any origin may call the SDK endpoints (config, stream, events, evaluation, OFREP):
 * they authenticate with a browser-safe sdk key in a header, never with cookies, so allowing every
 * origin exposes nothing. The management API stays same-origin: it is where cookie sessions live.
 */
import cors, { type FastifyCorsOptions } from '@fastify/cors';
import type { FastifyInstance, FastifyRequest } from 'fastify';

const SDK_PATHS = ['/api/v1/sdk/', '/api/v1/events', '/api/v1/evaluate', '/ofrep/'];

const SDK_CORS: FastifyCorsOptions = {
  origin: true,
  credentials: false,
  methods: ['GET', 'POST', 'OPTIONS'],
  allowedHeaders: ['authorization', 'content-type', 'content-encoding', 'if-none-match', 'last-event-id'],
  exposedHeaders: ['etag', 'retry-after', 'x-request-id'],
  // Preflights are cached for a day: SDK hosts call the same endpoints all the time.
  maxAge: 86_400,
};

export function isSdkPath(url: string): boolean {
  return SDK_PATHS.some((prefix) => url.startsWith(prefix));
}

export async function registerSdkCors(app: FastifyInstance): Promise<void> {
  await app.register(cors, {
    delegator: (request: FastifyRequest, callback) =>
      callback(null, isSdkPath(request.url) ? SDK_CORS : { origin: false }),
  });
}
