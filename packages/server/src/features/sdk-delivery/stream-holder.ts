/**
 * @module features/sdk-delivery/stream-holder
 * Who opens a stream, as the stream hub matches revocations against it.
 */
import type { FastifyRequest } from 'fastify';
import { currentEnvironmentAccess } from '../auth/request-context.js';
import type { AccessHolder } from '../changes/access-revocation.js';

export function streamHolder(request: FastifyRequest): AccessHolder {
  const { project, environment } = currentEnvironmentAccess(request);
  const principal = request.principal;
  return {
    projectId: project.id,
    environmentId: environment.id,
    ...(principal?.type === 'api_key' && { keyId: principal.keyId }),
    ...(principal?.type === 'user' && { userId: principal.userId }),
  };
}
