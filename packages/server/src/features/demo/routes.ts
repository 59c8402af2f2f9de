/**
 * @module features/demo/routes
 * - `GET /api/v1/demo`: the demo project (key and name), 404 when there is none;
 * - `DELETE /api/v1/demo`: removes it with its flags, experiments, results and events (instance
 *   administrators, as the demo belongs to the instance, not to a team).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { NotFoundError } from '../../http/errors.js';
import { callerOf } from '../access/request-context.js';
import type { DemoService } from './service.js';

const DemoResponse = z.object({
  project: z.object({ key: z.string(), name: z.string() }),
});

export const demoRoutes: FastifyPluginAsyncZod<{ demo: DemoService }> = async (app, { demo }) => {
  app.get(
    '/demo',
    {
      config: { access: { scope: 'user' } },
      schema: {
        tags: ['projects'],
        summary: 'The demo project this instance seeded on its first start (404 when there is none)',
        response: { 200: DemoResponse },
      },
    },
    async () => {
      const project = await demo.current();
      if (!project) throw new NotFoundError('There is no demo project (it was removed, or never seeded).');
      return { project: { key: project.key, name: project.name } };
    },
  );

  app.delete(
    '/demo',
    {
      config: { access: { scope: 'instance_admin' } },
      schema: {
        tags: ['projects'],
        summary: 'Remove the demo project with its flags, experiments, results and events',
        response: { 204: z.null().describe('Removed') },
      },
    },
    async (request, reply) => {
      const { principal, requestId } = callerOf(request);
      const project = await demo.remove(principal, requestId);
      request.log.info({ project: project.key }, 'demo project removed');
      return reply.status(204).send(null);
    },
  );
};
