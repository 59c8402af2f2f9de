/**
 * @module features/web-ui/routes
 * Serves the built React UI (`packages/web/dist`) at `/`. Client-side routes fall back to
 * `index.html`; API paths never do, so an unknown API route still gets a JSON 404.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

const API_PREFIXES = ['/api/', '/ofrep/', '/docs', '/openapi.json', '/healthz', '/readyz', '/metrics'];

/** Returns false when the UI has not been built, so the server still runs API-only. */
export async function registerWebUi(app: FastifyInstance, root: string): Promise<boolean> {
  if (!existsSync(path.join(root, 'index.html'))) return false;
  await app.register(fastifyStatic, { root, wildcard: true, index: ['index.html'] });
  return true;
}

/** Whether a 404 for this request should be answered with the UI's `index.html` instead. */
export function wantsUiPage(request: FastifyRequest): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const pathname = request.url.split('?')[0] ?? '';
  if (API_PREFIXES.some((prefix) => pathname.startsWith(prefix))) return false;
  return (request.headers.accept ?? '').includes('text/html');
}

export function sendUiPage(reply: FastifyReply): void {
  reply.type('text/html').sendFile('index.html');
}
