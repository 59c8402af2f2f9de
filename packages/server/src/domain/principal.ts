/**
 * @module features/auth/principal
 * Who is calling: a signed-in person, a program holding an API key, or nobody.
 */
import type { ApiKeyKind, ProjectRole } from '@cleave/core';
import type { Actor } from './audit.js';

export interface UserPrincipal {
  type: 'user';
  userId: string;
  email: string;
  isInstanceAdmin: boolean;
  /** The session's CSRF token: cookie-authenticated writes must echo it in `x-csrf-token`. */
  csrfToken: string;
}

export interface ApiKeyPrincipal {
  type: 'api_key';
  keyId: string;
  kind: ApiKeyKind;
  projectId: string;
  /** sdk and server keys name one environment; admin keys don't. */
  environmentId: string | null;
}

export type Principal = UserPrincipal | ApiKeyPrincipal;

export function actorOf(principal: Principal | undefined): Actor {
  if (!principal) return { type: 'system', id: null };
  return principal.type === 'user'
    ? { type: 'user', id: principal.userId }
    : { type: 'api_key', id: principal.keyId };
}

export type { ProjectRole };
