/**
 * @module features/health/metrics-route
 * `GET /metrics` in the Prometheus text format. Unauthenticated like `/healthz`, as scrapers expect;
 * it carries counts and timings only, never configuration or event contents.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { Registry } from 'prom-client';

export const metricsRoute: FastifyPluginAsync<{ registry: Registry }> = async (app, { registry }) => {
  app.get(
    '/metrics',
    { config: { access: { scope: 'public' } }, schema: { hide: true }, logLevel: 'warn' },
    async (_request, reply) => reply.type(registry.contentType).send(await registry.metrics()),
  );
};
