import { PassThrough } from 'node:stream';
import Fastify from 'fastify';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { isSdkReadRoute, OneLinePerRequest } from './request-logging.js';

async function appLogging(logSdkReads: boolean) {
  const lines: Record<string, unknown>[] = [];
  const destination = new PassThrough();
  destination.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) if (line.trim() !== '') lines.push(JSON.parse(line));
  });
  const app = Fastify({
    loggerInstance: pino({ level: 'info' }, destination),
    logController: new OneLinePerRequest({ requestIdLogLabel: 'requestId', logSdkReads }),
  });
  app.post('/ofrep/v1/evaluate/flags/:key', async (request, reply) =>
    (request.params as { key: string }).key === 'missing' ? reply.status(404).send({}) : { value: true },
  );
  app.get('/api/v1/projects', async () => []);
  app.get('/api/v1/broken', async () => {
    throw new Error('boom');
  });
  await app.ready();
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  return { app, lines, settle };
}

describe('request logging', () => {
  it('writes one line per request, carrying the request and the response', async () => {
    const { app, lines, settle } = await appLogging(false);
    await app.inject({ method: 'GET', url: '/api/v1/projects?page=2' });
    await settle();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      msg: 'request completed',
      level: 30,
      req: { method: 'GET', url: '/api/v1/projects?page=2' },
      res: { statusCode: 200 },
    });
    expect(typeof lines[0]?.responseTime).toBe('number');
    expect(typeof lines[0]?.requestId).toBe('string');
  });

  it('leaves successful SDK reads out unless asked, and logs their failures', async () => {
    const { app, lines, settle } = await appLogging(false);
    await app.inject({ method: 'POST', url: '/ofrep/v1/evaluate/flags/on', payload: {} });
    await settle();
    expect(lines).toHaveLength(0);
    await app.inject({ method: 'POST', url: '/ofrep/v1/evaluate/flags/missing', payload: {} });
    await settle();
    expect(lines.map((line) => (line.res as { statusCode: number }).statusCode)).toEqual([404]);
  });

  it('logs successful SDK reads when CLEAVE_LOG_SDK_READS is on', async () => {
    const { app, lines, settle } = await appLogging(true);
    await app.inject({ method: 'POST', url: '/ofrep/v1/evaluate/flags/on', payload: {} });
    await settle();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ msg: 'request completed', req: { url: '/ofrep/v1/evaluate/flags/on' } });
  });

  it('logs a failed request at error level, once', async () => {
    const { app, lines, settle } = await appLogging(false);
    await app.inject({ method: 'GET', url: '/api/v1/broken' });
    await settle();
    expect(lines.filter((line) => line.level === 50).length).toBeGreaterThanOrEqual(1);
    expect(lines.some((line) => line.msg === 'incoming request')).toBe(false);
  });

  it('knows the SDK read routes by their declared URL', () => {
    expect(isSdkReadRoute('/api/v1/sdk/config')).toBe(true);
    expect(isSdkReadRoute('/api/v1/sdk/stream')).toBe(true);
    expect(isSdkReadRoute('/api/v1/evaluate')).toBe(true);
    expect(isSdkReadRoute('/ofrep/v1/evaluate/flags/:key')).toBe(true);
    expect(isSdkReadRoute('/api/v1/events')).toBe(false);
    expect(isSdkReadRoute('/api/v1/projects/:projectKey/flags')).toBe(false);
    expect(isSdkReadRoute(undefined)).toBe(false);
  });
});
