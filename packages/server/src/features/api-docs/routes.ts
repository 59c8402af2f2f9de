/**
 * @module features/api-docs/routes
 * OpenAPI 3.1 generated from the route schemas (zod), served at `/openapi.json`, and browsable
 * reference docs at `/docs`. Registered before the feature routes so it sees all of them.
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';

export async function registerApiDocs(app: FastifyInstance, version: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Cleave API',
        version,
        description:
          'Feature flags, experiments and event collection. Errors are `{ "error": { "code", "message", "details" } }`.',
      },
      tags: [{ name: 'operations', description: 'Health, readiness and metrics' }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true }, config: { access: { scope: 'public' } } }, async () =>
    app.swagger(),
  );
}
