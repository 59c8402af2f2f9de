/**
 * @module features/analysis/overview-routes
 * - `GET /api/v1/projects/{project}/results/summary`: each experiment's latest results in a
 *   nutshell (units, verdict), for lists;
 * - `GET /api/v1/projects/{project}/traffic`: distinct units per day in an environment recently,
 *   for estimating how long an experiment needs;
 * - `GET /api/v1/projects/{project}/metrics/{key}/baseline`: the metric per unit over those units,
 *   for the power calculation's baseline.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ProjectParams, ResourceKey, Timestamp } from '../../http/api-schemas.js';
import { currentProject } from '../access/request-context.js';
import type { ExperimentOverview } from './overview.js';

const EnvironmentQuery = {
  environment: ResourceKey.default('production').describe("The environment's key; default production"),
};

const SummaryResponse = z.object({
  items: z.array(
    z.object({
      experiment: z.string(),
      computedAt: Timestamp,
      units: z.number().int().describe('Analysed units over all variations'),
      verdict: z
        .enum(['srm', 'win', 'loss', 'mixed', 'inconclusive'])
        .describe('srm: the split does not match the weights; otherwise what the primary metrics say'),
      guardrailRegressed: z.boolean(),
    }),
  ),
});

const TrafficQuery = z.object({
  ...EnvironmentQuery,
  days: z.coerce.number().int().min(1).max(90).default(7).describe('Complete UTC days before today'),
});

const TrafficResponse = z.object({
  environment: z.string(),
  days: z.array(z.object({ date: z.string(), units: z.number().int() })),
  units: z.number().int().describe('Distinct units over the whole period'),
  dailyUnits: z.number().describe('units / days: new units to expect per day'),
});

const BaselineParams = ProjectParams.extend({ key: ResourceKey });

const BaselineResponse = z.object({
  metric: z.string(),
  type: z.enum(['proportion', 'mean']),
  environment: z.string(),
  units: z.number().int().describe('Units with any event in the period'),
  mean: z
    .number()
    .nullable()
    .describe('Proportions: the share of units with the event; means: the mean per unit'),
  standardDeviation: z.number().nullable(),
});

export const overviewRoutes: FastifyPluginAsyncZod<{ overview: ExperimentOverview }> = async (
  app,
  { overview },
) => {
  app.get(
    '/projects/:projectKey/results/summary',
    {
      config: { access: { scope: 'project', permission: 'read' } },
      schema: {
        tags: ['analysis'],
        summary:
          "Every experiment's latest results in an environment, summarised: units and a verdict (experiments without results are left out)",
        params: ProjectParams,
        querystring: z.object(EnvironmentQuery),
        response: { 200: SummaryResponse },
      },
    },
    async (request) => ({
      items: await overview.summaries(currentProject(request), request.query.environment),
    }),
  );

  app.get(
    '/projects/:projectKey/traffic',
    {
      config: { access: { scope: 'project', permission: 'read' } },
      schema: {
        tags: ['analysis'],
        summary:
          'Distinct units with events (exposures or tracked) per UTC day in an environment, over recent complete days',
        params: ProjectParams,
        querystring: TrafficQuery,
        response: { 200: TrafficResponse },
      },
    },
    async (request) =>
      overview.traffic(currentProject(request), request.query.environment, request.query.days),
  );

  app.get(
    '/projects/:projectKey/metrics/:key/baseline',
    {
      config: { access: { scope: 'project', permission: 'read' } },
      schema: {
        tags: ['analysis'],
        summary:
          "A metric's recent value per unit in an environment (rate, or mean and standard deviation) over units with any event, without windows or capping: a planning baseline",
        params: BaselineParams,
        querystring: TrafficQuery,
        response: { 200: BaselineResponse },
      },
    },
    async (request) =>
      overview.baseline(
        currentProject(request),
        request.query.environment,
        request.params.key,
        request.query.days,
      ),
  );
};
