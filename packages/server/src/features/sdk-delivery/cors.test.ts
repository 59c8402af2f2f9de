import cors from '@fastify/cors';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isSdkPath, registerSdkCors, SDK_CORS } from './cors.js';

/** The plugin configured as SDK CORS was before it became one hook: the reference to answer like. */
async function withPlugin(app: FastifyInstance): Promise<void> {
  const sdk = {
    origin: true,
    credentials: false,
    methods: [...SDK_CORS.methods],
    allowedHeaders: [...SDK_CORS.allowedHeaders],
    exposedHeaders: [...SDK_CORS.exposedHeaders],
    maxAge: SDK_CORS.maxAgeSeconds,
  };
  await app.register(cors, {
    delegator: (request: FastifyRequest, callback) =>
      callback(null, isSdkPath(request.url) ? sdk : { origin: false }),
  });
}

async function appWith(register: (app: FastifyInstance) => Promise<void>): Promise<FastifyInstance> {
  const app = Fastify();
  await register(app);
  app.get('/api/v1/sdk/config', async () => ({ ok: true }));
  app.post('/api/v1/events', async (_request, reply) => reply.status(202).send({ accepted: 1 }));
  app.post('/ofrep/v1/evaluate/flags/:key', async () => ({ value: true }));
  app.get('/api/v1/projects', async () => []);
  app.get('/varied', async (_request, reply) => reply.header('vary', 'Accept-Encoding').send('x'));
  await app.ready();
  return app;
}

const ORIGIN = 'https://shop.example';
const PREFLIGHT = { origin: ORIGIN, 'access-control-request-method': 'POST' };
const CASES: {
  name: string;
  method: 'GET' | 'POST' | 'OPTIONS';
  url: string;
  headers: Record<string, string>;
}[] = [
  {
    name: 'SDK read from another origin',
    method: 'GET',
    url: '/api/v1/sdk/config',
    headers: { origin: ORIGIN },
  },
  { name: 'SDK read without Origin', method: 'GET', url: '/api/v1/sdk/config', headers: {} },
  {
    name: 'SDK read with a query',
    method: 'GET',
    url: '/api/v1/sdk/config?key=x',
    headers: { origin: ORIGIN },
  },
  {
    name: 'OFREP evaluation',
    method: 'POST',
    url: '/ofrep/v1/evaluate/flags/a',
    headers: { origin: ORIGIN },
  },
  { name: 'event ingestion', method: 'POST', url: '/api/v1/events', headers: { origin: ORIGIN } },
  {
    name: 'management API',
    method: 'GET',
    url: '/api/v1/projects',
    headers: { origin: 'https://evil.example' },
  },
  { name: 'unknown path', method: 'GET', url: '/nowhere', headers: { origin: ORIGIN } },
  { name: 'an answer that already varies', method: 'GET', url: '/varied', headers: { origin: ORIGIN } },
  {
    name: 'preflight of an SDK path',
    method: 'OPTIONS',
    url: '/api/v1/events',
    headers: { ...PREFLIGHT, 'access-control-request-headers': 'authorization,content-type' },
  },
  { name: 'preflight of OFREP', method: 'OPTIONS', url: '/ofrep/v1/evaluate/flags/a', headers: PREFLIGHT },
  {
    name: 'preflight without Origin',
    method: 'OPTIONS',
    url: '/api/v1/events',
    headers: { 'access-control-request-method': 'POST' },
  },
  {
    name: 'preflight without a method',
    method: 'OPTIONS',
    url: '/api/v1/events',
    headers: { origin: ORIGIN },
  },
  { name: 'preflight of the management API', method: 'OPTIONS', url: '/api/v1/projects', headers: PREFLIGHT },
  { name: 'preflight of an unknown path', method: 'OPTIONS', url: '/nowhere', headers: PREFLIGHT },
];

const corsHeadersOf = (headers: Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries(headers).filter(([name]) => name.startsWith('access-control-') || name === 'vary'),
  );

describe('SDK CORS', () => {
  let reference: FastifyInstance;
  let hook: FastifyInstance;
  beforeAll(async () => {
    reference = await appWith(withPlugin);
    hook = await appWith(registerSdkCors);
  });
  afterAll(async () => {
    await reference?.close();
    await hook?.close();
  });

  it.each(CASES)('answers like @fastify/cors: $name', async ({ method, url, headers }) => {
    const expected = await reference.inject({ method, url, headers });
    const actual = await hook.inject({ method, url, headers });
    expect(actual.statusCode).toBe(expected.statusCode);
    expect(corsHeadersOf(actual.headers)).toEqual(corsHeadersOf(expected.headers));
    expect(actual.headers['content-length']).toBe(expected.headers['content-length']);
    expect(actual.body).toBe(expected.body);
  });

  it('allows other origins on SDK paths only', async () => {
    const sdk = await hook.inject({ method: 'GET', url: '/api/v1/sdk/config', headers: { origin: ORIGIN } });
    expect(sdk.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(sdk.headers['access-control-allow-credentials']).toBeUndefined();
    const preflight = await hook.inject({ method: 'OPTIONS', url: '/api/v1/events', headers: PREFLIGHT });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-max-age']).toBe('86400');
    const management = await hook.inject({
      method: 'GET',
      url: '/api/v1/projects',
      headers: { origin: ORIGIN },
    });
    expect(management.headers['access-control-allow-origin']).toBeUndefined();
    expect(management.headers.vary).toBe('Origin');
  });
});
