/**
 * @module features/auth/route-access
 * Every route declares who may call it in `config.access`; the auth plugin enforces it, and a route
 * without a declaration is refused at start-up, so no route can be unprotected by omission.
 */
import type { ApiKeyKind } from '@cleave/core';
import type { Permission } from './permissions.js';

export type RouteAccess =
  /**
   * Anyone, signed in or not (health, sign-in, the SDK's public docs). `csrf: 'when-signed-in'`: a
   * change that acts on the caller's session (sign-out) still needs the CSRF token when a session
   * cookie is presented, so another site cannot make the browser send it.
   */
  | { scope: 'public'; csrf?: 'when-signed-in' }
  /** Any signed-in person (their own profile, their projects). */
  | { scope: 'user' }
  /** Instance administrators (create projects and people). */
  | { scope: 'instance_admin' }
  /** A signed-in person or a secret (admin or server) key: tools that read no project data. */
  | { scope: 'person_or_secret_key' }
  /** A project named by the `projectKey` path parameter, with at least this permission. */
  | { scope: 'project'; permission: Permission }
  /** Programs with an environment key of these kinds (config, events, remote evaluation). */
  | { scope: 'environment_key'; kinds: readonly Exclude<ApiKeyKind, 'admin'>[] };

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
}
