/**
 * @module features/sdk-delivery/stream-holder
 * Who opens a stream, as the stream hub matches revocations against it.
 */
import type { FastifyRequest } from 'fastify';
import type { AccessHolder } from '../../domain/access-revocation.js';
import { currentEnvironmentAccess } from '../access/request-context.js';

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
