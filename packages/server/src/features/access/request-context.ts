/**
 * @module features/auth/request-context
 * Typed access to what the auth plugin attached to a request. Calling these on a route whose
 * declared access doesn't provide the value is a programming error, reported loudly.
 */
import type { FastifyRequest } from 'fastify';
import type { Principal } from '../../domain/principal.js';
import type { Project } from '../../domain/project.js';
import type { EnvironmentAccess, ProjectAccess } from './plugin.js';

export function currentProject(request: FastifyRequest): Project {
  return currentProjectAccess(request).project;
}

export function currentProjectAccess(request: FastifyRequest): ProjectAccess {
  if (!request.projectAccess) throw new Error(`${request.routeOptions.url} is not project-scoped`);
  return request.projectAccess;
}

export function currentEnvironmentAccess(request: FastifyRequest): EnvironmentAccess {
  if (!request.environmentAccess)
    throw new Error(`${request.routeOptions.url} is not environment-key-scoped`);
  return request.environmentAccess;
}

/** Who is acting and in which request, for audit records. */
export function callerOf(request: FastifyRequest): { principal: Principal | undefined; requestId: string } {
  return { principal: request.principal, requestId: request.id };
}

export function currentPrincipal(request: FastifyRequest): Principal {
  if (!request.principal) throw new Error(`${request.routeOptions.url} allows anonymous callers`);
  return request.principal;
}
