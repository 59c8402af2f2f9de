/**
 * @module features/auth/routes
 * `/api/v1/auth/*` for people: first sign-up, sign-in (rate limited), sign-out, the current session;
 * `/api/v1/users` for administrators to create accounts.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { RateLimitedError } from '../../http/errors.js';
import { SESSION_COOKIE } from '../access/plugin.js';
import { currentPrincipal } from '../access/request-context.js';
import {
  AuthStatusResponse,
  CreateUserBody,
  SessionResponse,
  SignInBody,
  SignUpBody,
  UserResponse,
} from './schemas.js';
import type { AuthService, SignedIn } from './service.js';

export interface AuthRoutesOptions {
  auth: AuthService;
  /** Sign-in attempts allowed per client address and email each minute. */
  signInAttemptsPerMinute: number;
}

export const authRoutes: FastifyPluginAsyncZod<AuthRoutesOptions> = async (
  app,
  { auth, signInAttemptsPerMinute },
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
        body: SignUpBody,
        response: { 201: SessionResponse },
      },
    },
    async (request, reply) => {
      await auth.createUser(request.body, undefined);
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
      const signedIn = await auth.signIn(request.body.email, request.body.password);
      setSessionCookie(request, reply, signedIn);
      return sessionBody(signedIn);
    },
  );

  app.post(
    '/auth/logout',
    {
      config: { access: { scope: 'public' } },
      schema: { tags: ['auth'], summary: 'Sign out (ends the session)', response: { 204: z.null() } },
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
