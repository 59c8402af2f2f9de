/**
 * @module url-guard
 * Refuses path parameters and query values holding the NUL character (`%00`): PostgreSQL's text
 * cannot hold it, so a lookup by such a key failed with a 500 where SQLite simply found nothing.
 * Registered as the first `onRequest` hook, before authentication looks anything up.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ValidationError } from './errors.js';

function nulPaths(part: 'params' | 'query', values: unknown): string[] {
  if (typeof values !== 'object' || values === null) return [];
  const paths: string[] = [];
  for (const [name, value] of Object.entries(values)) {
    const texts = Array.isArray(value) ? value : [value];
    if (texts.some((text) => typeof text === 'string' && text.includes('\u0000')))
      paths.push(`/${part}/${name}`);
  }
  return paths;
}

export function registerUrlGuard(app: FastifyInstance): void {
  app.addHook('onRequest', async (request: FastifyRequest) => {
    if (!request.url.includes('%00')) return;
    const paths = [...nulPaths('params', request.params), ...nulPaths('query', request.query)];
    if (paths.length > 0) {
      throw new ValidationError('The URL must not contain the NUL character (%00).', {
        issues: paths.map((path) => ({ path, message: 'contains the NUL character' })),
      });
    }
  });
}
