/**
 * @module features/analysis/routes
 * - `POST /api/v1/projects/{project}/experiments/{experiment}/analysis` → 202 `{ jobId }`;
 * - `GET /api/v1/projects/{project}/jobs/{jobId}`: the job's status and progress;
 * - `GET /api/v1/projects/{project}/experiments/{experiment}/results`: the latest snapshot
 *   (`?environment=`, `?dimension=` for a breakdown); 404 before the first analysis.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { currentProject } from '../access/request-context.js';
import type { AnalysisJob } from './job-store.js';
import {
  AnalysisParams,
  AnalyzeExperimentBody,
  JobAccepted,
  JobParams,
  JobResponse,
  ResultsQuery,
  ResultsResponse,
} from './schemas.js';
import type { AnalysisService } from './service.js';

function jobResponse(job: AnalysisJob) {
  return {
    id: job.id,
    type: job.type,
    experiment: job.experimentKey,
    status: job.status,
    progress: job.progress,
    ...(job.error !== null && { error: job.error }),
    ...(job.snapshotId !== null && { snapshotId: job.snapshotId }),
    createdAt: job.createdAt,
    ...(job.finishedAt !== null && { finishedAt: job.finishedAt }),
  };
}

export const analysisRoutes: FastifyPluginAsyncZod<{ analysis: AnalysisService }> = async (
  app,
  { analysis },
) => {
  app.post(
    '/projects/:projectKey/experiments/:key/analysis',
    {
      config: { access: { scope: 'project', permission: 'write' } },
      schema: {
        tags: ['analysis'],
        summary:
          'Analyse an experiment now (a background job); an analysis already queued or running is returned instead',
        params: AnalysisParams,
        body: AnalyzeExperimentBody,
        response: { 202: JobAccepted },
      },
    },
    async (request, reply) => {
      const job = await analysis.requestAnalysis(
        currentProject(request),
        request.params.key,
        request.body?.environment,
      );
      return reply.status(202).send({ jobId: job.id });
    },
  );

  app.get(
    '/projects/:projectKey/jobs/:jobId',
    {
      config: { access: { scope: 'project', permission: 'read' } },
      schema: {
        tags: ['analysis'],
        summary: 'A background job: status (queued, running, succeeded, failed), progress, and its snapshot',
        params: JobParams,
        response: { 200: JobResponse },
      },
    },
    async (request) => jobResponse(await analysis.getJob(currentProject(request), request.params.jobId)),
  );

  app.get(
    '/projects/:projectKey/experiments/:key/results',
    {
      config: { access: { scope: 'project', permission: 'read' } },
      schema: {
        tags: ['analysis'],
        summary:
          "An experiment's latest results: health (units, SRM, left-out units, guardrails), and per metric the variants, comparisons with verdicts, and a daily series",
        params: AnalysisParams,
        querystring: ResultsQuery,
        response: { 200: ResultsResponse },
      },
    },
    async (request) =>
      analysis.results(
        currentProject(request),
        request.params.key,
        request.query.environment,
        request.query.dimension,
      ),
  );
};
