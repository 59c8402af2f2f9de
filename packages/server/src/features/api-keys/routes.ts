/**
 * @module features/api-keys/routes
 * `/api/v1/projects/{projectKey}/api-keys`: create (secret shown once), list, revoke.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DisplayName, ProjectParams, ResourceKey, Timestamp } from '../../http/api-schemas.js';
import { currentProject } from '../access/request-context.js';
import type { ApiKeyService } from './service.js';

const ApiKeyResponse = z.object({
  id: z.string(),
  kind: z.enum(['sdk', 'server', 'admin']),
  name: z.string(),
  prefix: z.string(),
  environmentId: z.string().nullable(),
  createdBy: z.string().nullable(),
  createdAt: Timestamp,
  lastUsedAt: Timestamp.nullable(),
  revokedAt: Timestamp.nullable(),
});

const CreatedApiKeyResponse = ApiKeyResponse.extend({
  secret: z.string().describe('The key itself. Shown only in this response: store it now.'),
});

const CreateApiKeyBody = z.object({
  name: DisplayName,
  kind: z.enum(['sdk', 'server', 'admin']),
  environment: ResourceKey.optional(),
});

const ApiKeyParams = ProjectParams.extend({ keyId: z.string().min(1).max(100) });

export const apiKeyRoutes: FastifyPluginAsyncZod<{ apiKeys: ApiKeyService }> = async (app, { apiKeys }) => {
  app.post(
    '/projects/:projectKey/api-keys',
    {
      config: { access: { scope: 'project', permission: 'manage' } },
      schema: {
        tags: ['api-keys'],
        summary:
          'Create an API key: sdk (browser-safe, one environment), server (secret, one environment) or admin (secret, management API)',
        params: ProjectParams,
        body: CreateApiKeyBody,
        response: { 201: CreatedApiKeyResponse },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await apiKeys.create(currentProject(request), request.body, request.principal, request.id)),
  );

  app.get(
    '/projects/:projectKey/api-keys',
    {
      config: { access: { scope: 'project', permission: 'manage' } },
      schema: {
        tags: ['api-keys'],
        summary: 'List API keys (never their secrets)',
        params: ProjectParams,
        response: { 200: z.object({ items: z.array(ApiKeyResponse) }) },
      },
    },
    async (request) => ({ items: await apiKeys.list(currentProject(request)) }),
  );

  app.delete(
    '/projects/:projectKey/api-keys/:keyId',
    {
      config: { access: { scope: 'project', permission: 'manage' } },
      schema: {
        tags: ['api-keys'],
        summary: 'Revoke an API key (takes effect at once)',
        params: ApiKeyParams,
        response: { 200: ApiKeyResponse },
      },
    },
    async (request) =>
      apiKeys.revoke(currentProject(request), request.params.keyId, request.principal, request.id),
  );
};
