/**
 * @module features/auth/routes
 * `/api/v1/auth/*` for people: first sign-up, sign-in (rate limited per address and email, and
 * throttled per address across emails), sign-out, the current session;
 * `/api/v1/users` for instance administrators to list, create, disable and enable accounts and to
 * grant or revoke instance administration.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { RateLimitedError, ServiceUnavailableError, UnauthorizedError } from '../../http/errors.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import { SESSION_COOKIE } from '../access/plugin.js';
import { currentPrincipal } from '../access/request-context.js';
import {
  AuthStatusResponse,
  CreateUserBody,
  FirstSignUpBody,
  ListUsersQuery,
  SessionResponse,
  SignInBody,
  UpdateUserBody,
  UserPage,
  UserParams,
  UserResponse,
  UserSummaryResponse,
} from './schemas.js';
import type { AuthService, SignedIn } from './service.js';
import type { SignInThrottle } from './sign-in-throttle.js';

export interface AuthRoutesOptions {
  auth: AuthService;
  /** Sign-in attempts allowed per client address and email each minute. */
  signInAttemptsPerMinute: number;
  /** Failed sign-ins per client address across emails, with back-off. */
  throttle: SignInThrottle;
}

export const authRoutes: FastifyPluginAsyncZod<AuthRoutesOptions> = async (
  app,
  { auth, signInAttemptsPerMinute, throttle },
) => {
  app.get(
    '/auth/status',
    {
      config: { access: { scope: 'public' } },
      schema: {
        tags: ['auth'],
        summary: 'Whether the instance waits for its first user',
        response: { 200: AuthStatusResponse },
      },
    },
    async () => ({ needsFirstUser: await auth.needsFirstUser() }),
  );

  app.post(
    '/auth/signup',
    {
      config: { access: { scope: 'public' } },
      schema: {
        tags: ['auth'],
        summary: 'Create the first account on an empty instance (its owner), and sign in',
        description:
          'Needs `setupCode`: the one-time code the server prints in its log at start-up while no account exists (or the value of CLEAVE_SETUP_CODE).',
        body: FirstSignUpBody,
        response: { 201: SessionResponse },
      },
    },
    async (request, reply) => {
      const { setupCode, ...account } = request.body;
      await auth.signUpFirstUser(account, setupCode);
      const signedIn = await auth.signIn(request.body.email, request.body.password);
      setSessionCookie(request, reply, signedIn);
      return reply.status(201).send(sessionBody(signedIn));
    },
  );

  app.post(
    '/auth/login',
    {
      config: {
        access: { scope: 'public' },
        rateLimit: {
          max: signInAttemptsPerMinute,
          timeWindow: 60_000,
          // Per address and account: one attacker can't lock out everyone, nor spray one account.
          keyGenerator: (request: FastifyRequest) => `${request.ip}|${emailOf(request.body)}`,
          errorResponseBuilder: (_request: FastifyRequest, context: { after: string }) =>
            new RateLimitedError(`Too many sign-in attempts; try again in ${context.after}.`),
        },
      },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with email and password',
        body: SignInBody,
        response: { 200: SessionResponse },
      },
    },
    async (request, reply) => {
      const waitMs = await throttle.waitMs(request.ip).catch(throttleUnavailable);
      if (waitMs > 0) {
        const seconds = Math.ceil(waitMs / 1000);
        reply.header('retry-after', String(seconds));
        throw new RateLimitedError(`Too many failed sign-ins from your address; try again in ${seconds} s.`, {
          retryAfterSeconds: seconds,
        });
      }
      let signedIn: SignedIn;
      try {
        signedIn = await auth.signIn(request.body.email, request.body.password);
      } catch (error) {
        if (error instanceof UnauthorizedError) {
          await throttle.recordFailure(request.ip).catch(throttleUnavailable);
        }
        throw error;
      }
      setSessionCookie(request, reply, signedIn);
      return sessionBody(signedIn);
    },
  );

  app.post(
    '/auth/logout',
    {
      // Public, so an expired session can still clear its cookie; a live one must show its CSRF token.
      config: { access: { scope: 'public', csrf: 'when-signed-in' } },
      schema: {
        tags: ['auth'],
        summary: 'Sign out (ends the session; send x-csrf-token with a live session)',
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      if (token) await auth.signOut(token);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/auth/session',
    {
      config: { access: { scope: 'user' } },
      schema: {
        tags: ['auth'],
        summary: 'The signed-in person and their CSRF token',
        response: { 200: SessionResponse },
      },
    },
    async (request) => {
      const principal = currentPrincipal(request);
      const user = principal.type === 'user' ? await auth.findUser(principal.userId) : undefined;
      if (!user || principal.type !== 'user') throw new Error('user scope without a user');
      return { user, csrfToken: principal.csrfToken };
    },
  );

  app.get(
    '/users',
    {
      config: { access: { scope: 'instance_admin' } },
      schema: {
        tags: ['auth'],
        summary: "The instance's accounts in email order (instance administrators)",
        description:
          'Names whoever appears in an audit trail, members of deleted projects included. `search` keeps accounts whose name or email contains it.',
        querystring: ListUsersQuery,
        response: { 200: UserPage },
      },
    },
    async (request) => {
      const { limit, cursor, search } = request.query;
      const after = decodeCursor(cursor);
      const users = await auth.listUsers({
        search,
        after: after === undefined ? undefined : String(after),
        limit: limit + 1,
      });
      return toPage(users, limit, (user) => user.email);
    },
  );

  app.post(
    '/users',
    {
      config: { access: { scope: 'instance_admin' } },
      schema: {
        tags: ['auth'],
        summary: 'Create an account for someone (instance administrators)',
        body: CreateUserBody,
        response: { 201: UserResponse },
      },
    },
    async (request, reply) => reply.status(201).send(await auth.createUser(request.body, request.principal)),
  );

  app.patch(
    '/users/:userId',
    {
      config: { access: { scope: 'instance_admin' } },
      schema: {
        tags: ['auth'],
        summary:
          'Disable or enable an account, grant or revoke instance administration (instance administrators)',
        description:
          'Disabling signs the person out everywhere at once and refuses their sign-in; their project memberships and audit history stay, so enabling again restores their access. Nobody may disable or demote themselves (409 `own_access`), and the last enabled instance administrator stays one (409 `last_instance_admin`). Project API keys belong to their projects and keep working.',
        params: UserParams,
        body: UpdateUserBody,
        response: { 200: UserSummaryResponse },
      },
    },
    async (request) => {
      const principal = currentPrincipal(request);
      if (principal.type !== 'user') throw new Error('instance_admin scope without a user');
      return auth.updateAccess(
        { userId: principal.userId, requestId: request.id },
        request.params.userId,
        request.body,
      );
    },
  );
};

function setSessionCookie(request: FastifyRequest, reply: FastifyReply, signedIn: SignedIn): void {
  reply.setCookie(SESSION_COOKIE, signedIn.sessionToken, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    // Secure whenever the client reached us over HTTPS (directly or through a trusted proxy).
    secure: request.protocol === 'https',
    expires: new Date(signedIn.expiresAt),
  });
}

function sessionBody(signedIn: SignedIn) {
  return { user: signedIn.user, csrfToken: signedIn.csrfToken, expiresAt: signedIn.expiresAt };
}

function emailOf(body: unknown): string {
  if (typeof body === 'object' && body !== null && 'email' in body && typeof body.email === 'string') {
    return body.email.trim().toLowerCase();
  }
  return '';
}

/**
 * Sign-in fails closed when the failure counters can't be reached (Redis down): without them,
 * guessing would be unthrottled. 503, not 500: it is an outage, and it passes.
 */
function throttleUnavailable(error: unknown): never {
  const unavailable = new ServiceUnavailableError('Sign-in is unavailable for a moment; try again shortly.');
  // Logged with the 503 (never shown to the client).
  unavailable.cause = error;
  throw unavailable;
}
