/**
 * @module features/experiments/routes
 * `/api/v1/projects/{projectKey}/experiments`: the shared definition routes plus the lifecycle:
 * start and stop (with a decision).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { expectedVersion } from '../../http/version-precondition.js';
import { callerOf, currentProject } from '../access/request-context.js';
import { definitionRoutes, sendDefinition } from '../definitions/routes.js';
import {
  CreateExperimentBody,
  ExperimentParams,
  ExperimentResponse,
  PatchExperimentBody,
  StartBody,
  StopBody,
} from './schemas.js';
import type { ExperimentService } from './service.js';

export const experimentRoutes: FastifyPluginAsyncZod<{ experiments: ExperimentService }> = async (
  app,
  { experiments },
) => {
  await app.register(
    definitionRoutes({
      service: experiments,
      path: 'experiments',
      noun: 'experiment',
      createBody: CreateExperimentBody,
      patchBody: PatchExperimentBody,
      response: ExperimentResponse,
    }),
  );

  app.post(
    '/projects/:projectKey/experiments/:key/start',
    {
      config: { access: { scope: 'project', permission: 'write' } },
      schema: {
        tags: ['experiments'],
        summary:
          'Start (or restart) an experiment: checks metrics and that a flag runs it; opens a new phase',
        params: ExperimentParams,
        body: StartBody,
        response: { 200: ExperimentResponse },
      },
    },
    async (request, reply) => {
      const started = await experiments.start(
        currentProject(request),
        request.params.key,
        expectedVersion(request, request.body.version),
        callerOf(request),
      );
      return sendDefinition(reply, started);
    },
  );

  app.post(
    '/projects/:projectKey/experiments/:key/stop',
    {
      config: { access: { scope: 'project', permission: 'write' } },
      schema: {
        tags: ['experiments'],
        summary: 'Stop an experiment with a decision (ship a variation, roll back, or inconclusive)',
        params: ExperimentParams,
        body: StopBody,
        response: { 200: ExperimentResponse },
      },
    },
    async (request, reply) => {
      const { version, ...decision } = request.body;
      const stopped = await experiments.stop(
        currentProject(request),
        request.params.key,
        decision,
        expectedVersion(request, version),
        callerOf(request),
      );
      return sendDefinition(reply, stopped);
    },
  );
};
