import helmet from '@fastify/helmet';
import Fastify, { type FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { registerSecurityHeaders, securityHeadersFor } from './security-headers.js';

const OPTIONS = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: { defaultSrc: ["'self'"], scriptSrc: ["'self'"], objectSrc: ["'none'"] },
  },
  crossOriginResourcePolicy: false,
} as const;

async function appWith(register: (app: FastifyInstance) => Promise<void>): Promise<FastifyInstance> {
  const app = Fastify();
  await register(app);
  app.get('/json', async () => ({ ok: true }));
  app.get('/fails', async () => {
    throw Object.assign(new Error('no'), { statusCode: 409 });
  });
  await app.ready();
  return app;
}

const helmetHeaders = (headers: Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries(headers).filter(
      ([name]) => !['date', 'content-length', 'content-type', 'connection'].includes(name),
    ),
  );

describe('security headers', () => {
  it('are exactly those @fastify/helmet sends, on answers, errors and unknown paths', async () => {
    const reference = await appWith(async (app) => {
      await app.register(helmet, OPTIONS);
    });
    const computed = await appWith((app) => registerSecurityHeaders(app, OPTIONS));
    try {
      for (const url of ['/json', '/fails', '/nowhere']) {
        const expected = await reference.inject({ method: 'GET', url });
        const actual = await computed.inject({ method: 'GET', url });
        expect(actual.statusCode).toBe(expected.statusCode);
        expect(helmetHeaders(actual.headers)).toEqual(helmetHeaders(expected.headers));
      }
    } finally {
      await reference.close();
      await computed.close();
    }
  });

  it('follow the configuration', async () => {
    const headers = new Map(await securityHeadersFor(OPTIONS));
    expect(headers.get('content-security-policy')).toBe(
      "default-src 'self';script-src 'self';object-src 'none'",
    );
    expect(headers.get('x-content-type-options')).toBe('nosniff');
    expect(headers.has('cross-origin-resource-policy')).toBe(false);
    const withPolicy = new Map(
      await securityHeadersFor({ ...OPTIONS, crossOriginResourcePolicy: { policy: 'same-site' } }),
    );
    expect(withPolicy.get('cross-origin-resource-policy')).toBe('same-site');
  });
});
