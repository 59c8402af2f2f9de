/**
 * @module features/stats/routes
 * The statistics engine as stateless calculators, for notebooks, CI checks and planning:
 * `POST /api/v1/stats/analyze`, `/stats/srm`, `/stats/adjust`, `/stats/sample-size`. They read no
 * project data; callable with a session or an admin or server key (not the public sdk keys).
 * Input the schema accepts but the engine cannot compute (inconsistent sums, a zero control mean
 * under a relative effect) is a 400 naming the field, never a 500 or a NaN.
 */
import {
  adjustPValues,
  analyze,
  isSampleRatioMismatch,
  StatisticsInputError,
  sampleRatioMismatch,
  sampleSize,
} from '@cleave/core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ValidationError } from '../../http/errors.js';
import {
  AdjustRequestSchema,
  AdjustResponse,
  AnalyzeRequestSchema,
  AnalyzeResponse,
  SampleSizeRequestSchema,
  SampleSizeResponse,
  SrmRequestSchema,
  SrmResponse,
} from './schemas.js';

const ACCESS = { access: { scope: 'person_or_secret_key' } } as const;

/** Runs an engine function, turning its input errors into a 400 with body paths. */
function computed<T>(compute: () => T): T {
  try {
    return compute();
  } catch (error) {
    if (error instanceof StatisticsInputError) {
      throw new ValidationError(`The statistics cannot be computed: ${error.message}`, {
        issues: error.issues.map((issue) => ({ path: `/body${issue.path}`, message: issue.message })),
      });
    }
    throw error;
  }
}

export const statsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/stats/analyze',
    {
      config: ACCESS,
      schema: {
        tags: ['stats'],
        summary:
          'Compare every treatment with control from per-variant sufficient statistics (frequentist, bayesian or sequential; CUPED; ratio metrics)',
        body: AnalyzeRequestSchema,
        response: { 200: AnalyzeResponse },
      },
    },
    async (request) => computed(() => analyze(request.body)),
  );

  app.post(
    '/stats/srm',
    {
      config: ACCESS,
      schema: {
        tags: ['stats'],
        summary: 'Sample ratio mismatch: do the units per variant fit the planned weights (chi-square test)?',
        body: SrmRequestSchema,
        response: { 200: SrmResponse },
      },
    },
    async (request) =>
      computed(() => {
        const result = sampleRatioMismatch(request.body);
        return { ...result, flagged: isSampleRatioMismatch(result.pValue) };
      }),
  );

  app.post(
    '/stats/adjust',
    {
      config: ACCESS,
      schema: {
        tags: ['stats'],
        summary: 'Adjust a family of p-values for multiple comparisons (Holm or Benjamini-Hochberg)',
        body: AdjustRequestSchema,
        response: { 200: AdjustResponse },
      },
    },
    async (request) =>
      computed(() => ({ adjustedPValues: adjustPValues(request.body.pValues, request.body.method) })),
  );

  app.post(
    '/stats/sample-size',
    {
      config: ACCESS,
      schema: {
        tags: ['stats'],
        summary: 'Units per variant to detect a relative effect with the given power (two-sided test)',
        body: SampleSizeRequestSchema,
        response: { 200: SampleSizeResponse },
      },
    },
    async (request) => computed(() => sampleSize(request.body)),
  );
};
