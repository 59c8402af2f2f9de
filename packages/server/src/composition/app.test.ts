import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { inProcessChangeNotifier } from '../adapters/memory/change-notifier.js';
import { connectNats, type NatsLink } from '../adapters/nats/connect.js';
import { connectRedis, type RedisConnection } from '../adapters/redis/connect.js';
import { NotFoundError, VersionConflictError } from '../http/errors.js';
import { createTelemetry } from '../runtime/telemetry.js';
import { createTestDatabase, type TestDatabase } from '../test-support/databases.js';
import { TEST_NATS_URL, TEST_REDIS_URL } from '../test-support/services.js';
import { buildApp } from './app.js';
import { createServices } from './services.js';

describe('HTTP application', () => {
  let app: FastifyInstance;
  let beginShutdown: () => void;
  let sqlite: TestDatabase;
  let postgres: TestDatabase;
  let redis: RedisConnection;
  let nats: NatsLink;

  beforeAll(async () => {
    sqlite = await createTestDatabase('sqlite');
    postgres = await createTestDatabase('postgres');
    redis = await connectRedis(TEST_REDIS_URL);
    nats = await connectNats(TEST_NATS_URL);
    const built = await buildApp({
      logger: false,
      telemetry: createTelemetry({ processMetrics: false }),
      services: createServices(sqlite.database, { notifier: inProcessChangeNotifier() }),
      dependencies: [
        { name: 'database', info: { dialect: 'sqlite' }, check: () => sqlite.database.ping() },
        { name: 'postgres', check: () => postgres.database.ping() },
        { name: 'redis', check: () => redis.ping() },
        { name: 'nats', check: () => nats.ping() },
      ],
    });
    app = built.app;
    beginShutdown = built.beginShutdown;
    const typed = app.withTypeProvider<ZodTypeProvider>();
    const open = { access: { scope: 'public' as const } };
    typed.post(
      '/test/validated',
      {
        config: open,
        schema: { body: z.object({ name: z.string().min(1), size: z.number().int().max(10) }) },
      },
      async (request) => ({ hello: request.body.name }),
    );
    typed.get('/test/not-found', { config: open }, async () => {
      throw new NotFoundError('Flag "x" does not exist.', { key: 'x' });
    });
    typed.get('/test/conflict', { config: open }, async () => {
      throw new VersionConflictError('Stale version.', { currentVersion: 3 });
    });
    typed.get('/test/crash', { config: open }, async () => {
      throw new Error('secret connection string postgres://admin:hunter2@db');
    });
    await app.ready();
  });

  afterAll(async () => {
    await app?.close();
    await redis?.close();
    await nats?.close();
    await sqlite?.destroy();
    await postgres?.destroy();
  });

  it('answers /healthz with 200', async () => {
    const response = await app.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('reports every dependency as up on /readyz when the real servers answer', async () => {
    const response = await app.inject({ method: 'GET', url: '/readyz' });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.status).toBe('ready');
    expect(Object.keys(body.dependencies).sort()).toEqual(['database', 'nats', 'postgres', 'redis']);
    for (const dependency of Object.values(body.dependencies) as Array<{
      status: string;
      latencyMs: number;
    }>) {
      expect(dependency.status).toBe('up');
      expect(dependency.latencyMs).toBeGreaterThanOrEqual(0);
    }
    expect(body.dependencies.database.info).toEqual({ dialect: 'sqlite' });
  });

  it('echoes a safe caller request id and replaces an unsafe one', async () => {
    const kept = await app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { 'x-request-id': 'trace-123' },
    });
    expect(kept.headers['x-request-id']).toBe('trace-123');
    const replaced = await app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { 'x-request-id': 'bad id\nwith newline' },
    });
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers an unknown route with a JSON 404', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/v1/nothing-here?x=1' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({
      error: { code: 'route_not_found', message: 'No route for GET /api/v1/nothing-here.' },
    });
  });

  it('answers a schema violation with 400 and the path of every bad field', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/test/validated',
      payload: { name: '', size: 11.5, extra: true },
    });
    expect(response.statusCode).toBe(400);
    const body = response.json();
    expect(body.error.code).toBe('validation_failed');
    const paths = body.error.details.issues.map((issue: { path: string }) => issue.path);
    expect(paths).toEqual(expect.arrayContaining(['/body/name', '/body/size']));
    const unknownField = await app.inject({
      method: 'POST',
      url: '/test/validated',
      payload: { name: 'x', size: 1, extra: { deep: true } },
    });
    expect(unknownField.statusCode).toBe(400);
    expect(unknownField.json().error.details.issues).toEqual([
      { path: '/body/extra', message: 'is not a known field' },
    ]);
  });

  it('answers malformed JSON with 400 invalid_json', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/test/validated',
      headers: { 'content-type': 'application/json' },
      payload: '{"name": ',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('invalid_json');
  });

  it('answers an oversized body with 413', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/test/validated',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'x'.repeat(1_100_000), size: 1 }),
    });
    expect(response.statusCode).toBe(413);
    expect(response.json().error.code).toBe('payload_too_large');
  });

  it('maps application errors to their status, code and details', async () => {
    const notFound = await app.inject({ method: 'GET', url: '/test/not-found' });
    expect(notFound.statusCode).toBe(404);
    expect(notFound.json()).toEqual({
      error: { code: 'not_found', message: 'Flag "x" does not exist.', details: { key: 'x' } },
    });
    const conflict = await app.inject({ method: 'GET', url: '/test/conflict' });
    expect(conflict.statusCode).toBe(409);
    expect(conflict.json().error).toEqual({
      code: 'version_conflict',
      message: 'Stale version.',
      details: { currentVersion: 3 },
    });
  });

  it('hides the details of an unexpected error behind a generic 500', async () => {
    const response = await app.inject({ method: 'GET', url: '/test/crash' });
    expect(response.statusCode).toBe(500);
    const body = response.json();
    expect(body.error.code).toBe('internal_error');
    expect(response.body).not.toContain('hunter2');
    expect(response.body).not.toContain('at ');
    expect(body.error.details.requestId).toBe(response.headers['x-request-id']);
  });

  it('serves the OpenAPI document and the docs page', async () => {
    const spec = await app.inject({ method: 'GET', url: '/openapi.json' });
    expect(spec.statusCode).toBe(200);
    expect(spec.json().openapi).toBe('3.1.0');
    expect(Object.keys(spec.json().paths)).toEqual(expect.arrayContaining(['/healthz', '/readyz']));
    const docs = await app.inject({ method: 'GET', url: '/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-type']).toContain('text/html');
  });

  it('reports a dependency that stopped answering, and 503 overall', async () => {
    await postgres.database.close();
    const response = await app.inject({ method: 'GET', url: '/readyz' });
    expect(response.statusCode).toBe(503);
    const body = response.json();
    expect(body.status).toBe('not_ready');
    expect(body.dependencies.postgres.status).toBe('down');
    expect(body.dependencies.postgres.error).toEqual(expect.any(String));
    expect(body.dependencies.redis.status).toBe('up');
  });

  it('fails readiness while shutting down', async () => {
    beginShutdown();
    const response = await app.inject({ method: 'GET', url: '/readyz' });
    expect(response.statusCode).toBe(503);
    expect(response.json().status).toBe('shutting_down');
  });
});
