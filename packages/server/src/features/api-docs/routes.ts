/**
 * @module features/api-docs/routes
 * OpenAPI 3.1 generated from the route schemas (zod), served at `/openapi.json`, and browsable
 * reference docs at `/docs`. Registered before the feature routes so it sees all of them.
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';

export async function registerApiDocs(app: FastifyInstance, version: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Cleave API',
        version,
        description: [
          'Feature flags, experiments and event collection.',
          '',
          '- **Authentication**: people sign in (`POST /api/v1/auth/login`) and get a session cookie; cookie-authenticated changes must send the `x-csrf-token` from the sign-in answer. Programs send `Authorization: Bearer <API key>`: `sdk` and `server` keys (one environment) for the SDK endpoints, `admin` keys for the management API.',
          '- **Errors** are `{ "error": { "code", "message", "details" } }`; validation errors list every bad field as a JSON Pointer in `details.issues`.',
          '- **Writes** need the version being changed (`version` in the body or `If-Match` with the `ETag` of a read): `409 version_conflict` when it is stale, `428 version_required` when it is missing.',
          '- **Lists** take `limit` and `cursor` and answer `{ items, nextCursor }`.',
        ].join('\n'),
      },
      tags: [
        { name: 'operations', description: 'Health, readiness and metrics' },
        { name: 'auth', description: 'Sign-up, sign-in, sessions and accounts' },
        { name: 'projects', description: 'Projects and their environments' },
        { name: 'flags', description: 'Feature flags and their state per environment' },
        { name: 'experiments', description: 'Experiments and their lifecycle' },
        { name: 'sdk', description: 'What SDKs call with an environment key' },
        { name: 'ofrep', description: 'OpenFeature Remote Evaluation Protocol' },
        { name: 'events', description: 'Exposure and tracked-event ingestion' },
      ],
      components: {
        securitySchemes: {
          apiKey: {
            type: 'http',
            scheme: 'bearer',
            description: 'A Cleave API key: clv_sdk_…, clv_server_… or clv_admin_…',
          },
          session: { type: 'apiKey', in: 'cookie', name: 'cleave_session' },
        },
      },
      security: [{ apiKey: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
    // Schemas with an id (the recursive ones: conditions, JSON values) become components that
    // route schemas refer to; without this their references dangled.
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true }, config: { access: { scope: 'public' } } }, async () =>
    app.swagger(),
  );
}
