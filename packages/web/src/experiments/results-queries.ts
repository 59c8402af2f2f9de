/**
 * @module experiments/results-queries
 * Results, "run analysis now" and the job it starts. Plain `fetch` with the session's CSRF token
 * until these routes are in the OpenAPI document the typed client is generated from.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../api/api-error.js';
import { csrfHeaders } from '../api/client.js';
import type { AnalysisJob, ExperimentResults } from './results-types.js';

async function requestJson<T>(
  method: string,
  url: string,
  body?: unknown,
): Promise<{ status: number; data: T }> {
  const response = await fetch(url, {
    method,
    credentials: 'same-origin',
    headers: {
      ...csrfHeaders(method),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  const parsed: unknown = text ? JSON.parse(text) : undefined;
  if (!response.ok && response.status !== 404) throw ApiError.from(response.status, parsed);
  return { status: response.status, data: parsed as T };
}

const base = (projectKey: string, experimentKey: string) =>
  `/api/v1/projects/${encodeURIComponent(projectKey)}/experiments/${encodeURIComponent(experimentKey)}`;

export const resultsKey = (projectKey: string, experimentKey: string, environment: string) =>
  ['projects', projectKey, 'experiments', experimentKey, 'results', environment] as const;

/** The latest results, or `null` before the first analysis (the API's 404). */
export function useResults(projectKey: string, experimentKey: string, environment: string) {
  return useQuery({
    queryKey: resultsKey(projectKey, experimentKey, environment),
    queryFn: async () => {
      const { status, data } = await requestJson<ExperimentResults>(
        'GET',
        `${base(projectKey, experimentKey)}/results?environment=${encodeURIComponent(environment)}`,
      );
      return status === 404 ? null : data;
    },
  });
}

export function useRunAnalysis(projectKey: string, experimentKey: string, environment: string) {
  return useMutation({
    mutationFn: async () => {
      const { data } = await requestJson<{ jobId: string }>(
        'POST',
        `${base(projectKey, experimentKey)}/analysis`,
        {
          environment,
        },
      );
      return data.jobId;
    },
  });
}

/** Polls a job every second until it ends; refreshes the results when it succeeds. */
export function useAnalysisJob(
  projectKey: string,
  experimentKey: string,
  environment: string,
  jobId: string | undefined,
) {
  const queryClient = useQueryClient();
  return useQuery({
    queryKey: ['projects', projectKey, 'jobs', jobId],
    enabled: jobId !== undefined,
    queryFn: async () => {
      const { data } = await requestJson<AnalysisJob>(
        'GET',
        `/api/v1/projects/${encodeURIComponent(projectKey)}/jobs/${encodeURIComponent(jobId ?? '')}`,
      );
      if (data.status === 'succeeded') {
        await queryClient.invalidateQueries({ queryKey: resultsKey(projectKey, experimentKey, environment) });
      }
      return data;
    },
    refetchInterval: (query) => {
      const status = query.state.data?.status;
      return status === 'succeeded' || status === 'failed' ? false : 1_000;
    },
  });
}
