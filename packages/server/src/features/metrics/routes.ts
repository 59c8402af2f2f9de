/**
 * @module features/metrics/routes
 * `/api/v1/projects/{projectKey}/metrics`: the routes every definition has (list, read, create,
 * patch, archive, restore), with the metric's own schemas.
 */
import type { Metric } from '@cleave/core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { definitionRoutes } from '../definitions/routes.js';
import type { DefinitionService } from '../definitions/service.js';
import { CreateMetricBody, MetricResponse, PatchMetricBody } from './schemas.js';

export const metricRoutes: FastifyPluginAsyncZod<{ metrics: DefinitionService<Metric> }> = async (
  app,
  options,
) =>
  app.register(
    definitionRoutes<Metric>({
      service: options.metrics,
      path: 'metrics',
      noun: 'metric',
      createBody: CreateMetricBody,
      patchBody: PatchMetricBody,
      response: MetricResponse,
    }),
  );
