/**
 * @module features/auth/plugin
 * Authentication (who is calling) on every request, then authorization against the route's declared
 * `config.access`. Registered with fastify-plugin so its hooks and decorations cover every route.
 */

import type { ProjectRole } from '@cleave/core';
import type {} from '@fastify/cookie';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Principal } from '../../domain/principal.js';
import type { Environment, Project } from '../../domain/project.js';
import { ForbiddenError, NotFoundError, UnauthorizedError } from '../../http/errors.js';
import { roleAllows } from './permissions.js';
import type { RouteAccess } from './route-access.js';

export const SESSION_COOKIE = 'cleave_session';
export const CSRF_HEADER = 'x-csrf-token';

/** The project a project-scoped request addresses, and the caller's role in it. */
export interface ProjectAccess {
  project: Project;
  role: ProjectRole;
}

/** The environment an sdk or server key is bound to. */
export interface EnvironmentAccess {
  project: Project;
  environment: Environment;
  keyKind: 'sdk' | 'server';
}

/** A route and who may call it, as declared: the authorization matrix test checks every one. */
export interface DeclaredRoute {
  method: string;
  url: string;
  access: RouteAccess;
}

declare module 'fastify' {
  interface FastifyInstance {
    declaredRoutes: DeclaredRoute[];
  }
  interface FastifyRequest {
    principal: Principal | undefined;
    /** How the principal authenticated: a cookie session needs CSRF protection, a bearer key does not. */
    credentialSource: 'session' | 'bearer' | undefined;
    projectAccess: ProjectAccess | undefined;
    environmentAccess: EnvironmentAccess | undefined;
  }
}

/** Turns presented credentials into a principal (the auth feature implements it). */
export interface Authenticator {
  /** Synchronous for a key known already: SDK requests need no promise on the hit path. */
  principalFromApiKey(secret: string): Principal | Promise<Principal>;
  principalFromSession(sessionToken: string): Promise<Principal | undefined>;
}

export interface ProjectDirectory {
  findProjectByKey(key: string): Promise<Project | undefined>;
  findProjectById(id: string): Promise<Project | undefined>;
  findEnvironmentById(projectId: string, environmentId: string): Promise<Environment | undefined>;
  roleOf(projectId: string, userId: string): Promise<ProjectRole | undefined>;
}

export interface AuthPluginOptions {
  auth: Authenticator;
  projects: ProjectDirectory;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

async function authPlugin(app: FastifyInstance, options: AuthPluginOptions): Promise<void> {
  app.decorateRequest('principal', undefined);
  app.decorateRequest('credentialSource', undefined);
  app.decorateRequest('projectAccess', undefined);
  app.decorateRequest('environmentAccess', undefined);

  const environments = new EnvironmentCache();
  const declaredRoutes: DeclaredRoute[] = [];
  app.decorate('declaredRoutes', declaredRoutes);
  app.addHook('onRoute', (route) => {
    // Fastify's own HEAD twins and hidden documentation routes inherit or need no declaration.
    if (route.method === 'HEAD' || route.url.startsWith('/docs')) return;
    const access = route.config?.access;
    if (!access) {
      if (UNDECLARED_ALLOWED.has(route.url)) return;
      throw new Error(`Route ${String(route.method)} ${route.url} declares no config.access`);
    }
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') declaredRoutes.push({ method, url: route.url, access });
    }
  });

  // onRequest, not preHandler: an anonymous caller learns "401" before anything about body validation.
  // A callback hook that completes synchronously when the key and its environment are cached (every
  // SDK request after the first), so the hot path allocates no promises.
  app.addHook('onRequest', (request, _reply, done) => {
    const access = request.routeOptions.config.access ?? PUBLIC;
    let pending: void | Promise<void>;
    try {
      pending = authenticate(request, options.auth, access);
      pending =
        pending === undefined
          ? authorize(request, access, options.projects, environments)
          : pending.then(() => authorize(request, access, options.projects, environments));
    } catch (error) {
      done(error as Error);
      return;
    }
    if (pending === undefined) done();
    else pending.then(() => done(), done);
  });
}

const PUBLIC: RouteAccess = { scope: 'public' };

/** Routes Fastify plugins add themselves (static files of the UI, the OpenAPI document). */
const UNDECLARED_ALLOWED = new Set(['/openapi.json', '/*', '/']);

function authenticate(
  request: FastifyRequest,
  auth: Authenticator,
  access: RouteAccess,
): void | Promise<void> {
  const authorization = request.headers.authorization;
  if (authorization !== undefined) {
    const secret = bearerSecret(authorization);
    if (!secret) throw new UnauthorizedError('The Authorization header must be "Bearer <API key>".');
    return withKeyPrincipal(request, auth.principalFromApiKey(secret));
  }
  // Browsers' EventSource can't send headers: streams accept a browser-safe sdk key in `?key=`.
  const queryKey = (request.query as { key?: unknown } | undefined)?.key;
  if (access.scope === 'environment_key' && typeof queryKey === 'string' && queryKey.startsWith('clv_sdk_')) {
    return withKeyPrincipal(request, auth.principalFromApiKey(queryKey));
  }
  const sessionToken = request.cookies?.[SESSION_COOKIE];
  if (sessionToken) return authenticateSession(request, auth, access, sessionToken);
}

const BEARER = /^Bearer\s+(\S+)$/i;

/** The key in `Bearer <key>`; the usual spelling without a regex match (an allocation per request). */
function bearerSecret(header: string): string | undefined {
  if (header.length > 7 && header.startsWith('Bearer ')) {
    let plain = true;
    for (let index = 7; index < header.length && plain; index++) {
      const code = header.charCodeAt(index);
      plain = code > 0x20 && code < 0x7f;
    }
    if (plain) return header.slice(7);
  }
  return BEARER.exec(header)?.[1];
}

function withKeyPrincipal(
  request: FastifyRequest,
  found: Principal | Promise<Principal>,
): void | Promise<void> {
  if (found instanceof Promise) {
    return found.then((principal) => {
      request.principal = principal;
      request.credentialSource = 'bearer';
    });
  }
  request.principal = found;
  request.credentialSource = 'bearer';
}

async function authenticateSession(
  request: FastifyRequest,
  auth: Authenticator,
  access: RouteAccess,
  sessionToken: string,
): Promise<void> {
  const principal = await auth.principalFromSession(sessionToken);
  // An expired session on a public route is simply anonymous; elsewhere it's a 401 below.
  if (principal) {
    request.principal = principal;
    request.credentialSource = 'session';
    const needsCsrf = access.scope !== 'public' || access.csrf === 'when-signed-in';
    if (!SAFE_METHODS.has(request.method) && needsCsrf) requireCsrf(request, principal);
  }
}

function requireCsrf(request: FastifyRequest, principal: Principal): void {
  if (principal.type !== 'user') return;
  const presented = request.headers[CSRF_HEADER];
  if (presented !== principal.csrfToken) {
    throw new ForbiddenError(`Missing or wrong ${CSRF_HEADER} header for a cookie-authenticated change.`, {
      reason: 'csrf',
    });
  }
}

function authorize(
  request: FastifyRequest,
  access: RouteAccess,
  projects: ProjectDirectory,
  environments: EnvironmentCache,
): void | Promise<void> {
  if (access.scope === 'public') return;
  const principal = request.principal;
  if (!principal) throw new UnauthorizedError('Sign in or send an API key (Authorization: Bearer <key>).');

  switch (access.scope) {
    case 'user':
      if (principal.type !== 'user')
        throw new ForbiddenError('This route is for signed-in people, not API keys.');
      return;
    case 'instance_admin':
      if (principal.type !== 'user' || !principal.isInstanceAdmin) {
        throw new ForbiddenError('Only instance administrators may do this.');
      }
      return;
    case 'person_or_secret_key':
      // sdk keys ship inside browsers and apps: public, so they get nothing beyond their own routes.
      if (principal.type === 'api_key' && principal.kind === 'sdk') {
        throw new ForbiddenError('This route needs a session, an admin key or a server key, not an sdk key.');
      }
      return;
    case 'environment_key': {
      if (principal.type !== 'api_key' || principal.kind === 'admin' || !principal.environmentId) {
        throw new ForbiddenError(`This route needs an environment key (${access.kinds.join(' or ')}).`);
      }
      if (!access.kinds.includes(principal.kind)) {
        throw new ForbiddenError(
          `This route needs a ${access.kinds.join(' or ')} key, not a ${principal.kind} key.`,
        );
      }
      const kind = principal.kind;
      const found = environmentOf(principal.projectId, principal.environmentId, projects, environments);
      if (found instanceof Promise)
        return found.then((accesses) => grantEnvironment(request, accesses, kind));
      grantEnvironment(request, found, kind);
      return;
    }
    case 'project':
      return authorizeProject(request, access, principal, projects);
  }
}

function grantEnvironment(
  request: FastifyRequest,
  accesses: EnvironmentAccesses | undefined,
  kind: 'sdk' | 'server',
): void {
  if (!accesses) throw new UnauthorizedError('The API key belongs to an environment that no longer exists.');
  request.environmentAccess = accesses[kind];
}

async function authorizeProject(
  request: FastifyRequest,
  access: Extract<RouteAccess, { scope: 'project' }>,
  principal: Principal,
  projects: ProjectDirectory,
): Promise<void> {
  const projectKey = (request.params as { projectKey?: string }).projectKey;
  if (!projectKey)
    throw new Error(`Route ${request.routeOptions.url} is project-scoped but has no :projectKey`);
  const project = await projects.findProjectByKey(projectKey);
  const role = project && (await roleFor(principal, project, projects));
  // Unknown project and no access look alike to outsiders, so keys can't probe project names.
  if (!project || !role) {
    if (!project && principal.type === 'user' && principal.isInstanceAdmin) {
      throw new NotFoundError(`No project with key "${projectKey}".`);
    }
    throw new ForbiddenError(`You have no access to project "${projectKey}".`);
  }
  if (!roleAllows(role, access.permission)) {
    throw new ForbiddenError(`Your role (${role}) does not allow this (needs ${access.permission}).`, {
      role,
      permission: access.permission,
    });
  }
  request.projectAccess = { project, role };
}

/**
 * The project and environment an environment key names, cached briefly: SDK endpoints resolve them
 * on every request. The cached environment's `configVersion` may lag; SDK delivery reads the
 * current version from its own tracker, never from here. The access each key kind gets is built
 * once per lookup, so a hit allocates nothing.
 */
type EnvironmentAccesses = Readonly<Record<'sdk' | 'server', Readonly<EnvironmentAccess>>>;
/** How long a looked-up environment is trusted, and how many are remembered (the oldest go first). */
const ENVIRONMENT_CACHE_MS = 5_000;
const ENVIRONMENT_CACHE_ENTRIES = 10_000;

/**
 * Environments by id with a time to live. A hit is one map read and a clock read: no reordering
 * (which an LRU does on every read, and which makes the map grow and rehash now and then).
 */
class EnvironmentCache {
  private readonly entries = new Map<
    string,
    { readonly accesses: EnvironmentAccesses; readonly expiresAt: number }
  >();

  get(environmentId: string): EnvironmentAccesses | undefined {
    const entry = this.entries.get(environmentId);
    if (entry === undefined) return undefined;
    if (entry.expiresAt > Date.now()) return entry.accesses;
    this.entries.delete(environmentId);
    return undefined;
  }

  set(environmentId: string, accesses: EnvironmentAccesses): void {
    this.entries.delete(environmentId);
    this.entries.set(environmentId, { accesses, expiresAt: Date.now() + ENVIRONMENT_CACHE_MS });
    if (this.entries.size <= ENVIRONMENT_CACHE_ENTRIES) return;
    const oldest = this.entries.keys().next();
    if (!oldest.done) this.entries.delete(oldest.value);
  }
}

function environmentOf(
  projectId: string,
  environmentId: string,
  projects: ProjectDirectory,
  environments: EnvironmentCache,
): EnvironmentAccesses | Promise<EnvironmentAccesses | undefined> {
  return (
    environments.get(environmentId) ?? lookUpEnvironment(projectId, environmentId, projects, environments)
  );
}

async function lookUpEnvironment(
  projectId: string,
  environmentId: string,
  projects: ProjectDirectory,
  environments: EnvironmentCache,
): Promise<EnvironmentAccesses | undefined> {
  const project = await projects.findProjectById(projectId);
  const environment = project && (await projects.findEnvironmentById(project.id, environmentId));
  if (!project || !environment) return undefined;
  const accesses = {
    sdk: Object.freeze({ project, environment, keyKind: 'sdk' as const }),
    server: Object.freeze({ project, environment, keyKind: 'server' as const }),
  };
  environments.set(environmentId, accesses);
  return accesses;
}

async function roleFor(
  principal: Principal,
  project: Project,
  projects: ProjectDirectory,
): Promise<ProjectRole | undefined> {
  if (principal.type === 'api_key') {
    // Admin keys act as project admins; environment keys never reach the management API.
    return principal.kind === 'admin' && principal.projectId === project.id ? 'admin' : undefined;
  }
  if (principal.isInstanceAdmin) return 'owner';
  return projects.roleOf(project.id, principal.userId);
}

export const authPluginRegistration = fp(authPlugin, {
  name: 'cleave-auth',
  dependencies: ['@fastify/cookie'],
});
