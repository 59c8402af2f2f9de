/**
 * @module features/health/routes
 * `/healthz`: the process is alive (no dependency is consulted, so a database outage doesn't get
 * every node restarted). `/readyz`: every configured dependency answers; load balancers route on it.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { checkReadiness, type DependencyCheck } from './readiness.js';

export interface HealthRoutesOptions {
  dependencies: readonly DependencyCheck[];
  /** While draining for shutdown, readiness fails so load balancers stop sending traffic. */
  isShuttingDown: () => boolean;
}

const LivenessResponse = z.object({ status: z.literal('ok') });

const DependencyStatusResponse = z.object({
  status: z.enum(['up', 'down']),
  latencyMs: z.number(),
  error: z.string().optional(),
  info: z.record(z.string(), z.string()).optional(),
});

const ReadinessResponse = z.object({
  status: z.enum(['ready', 'not_ready', 'shutting_down']),
  dependencies: z.record(z.string(), DependencyStatusResponse),
});

export const healthRoutes: FastifyPluginAsyncZod<HealthRoutesOptions> = async (app, options) => {
  app.get(
    '/healthz',
    {
      config: { access: { scope: 'public' } },
      schema: {
        tags: ['operations'],
        summary: 'Liveness: the process is up',
        response: { 200: LivenessResponse },
      },
      logLevel: 'warn',
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      config: { access: { scope: 'public' } },
      schema: {
        tags: ['operations'],
        summary: 'Readiness: every configured dependency is reachable',
        response: { 200: ReadinessResponse, 503: ReadinessResponse },
      },
      logLevel: 'warn',
    },
    async (_request, reply) => {
      const report = await checkReadiness(options.dependencies);
      if (options.isShuttingDown()) {
        return reply.status(503).send({ ...report, status: 'shutting_down' as const });
      }
      return reply.status(report.status === 'ready' ? 200 : 503).send(report);
    },
  );
};
