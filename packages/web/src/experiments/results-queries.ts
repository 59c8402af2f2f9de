/**
 * @module experiments/results-queries
 * Results, "run analysis now" and the job it starts, through the typed client.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../api/api-error.js';
import { api, unwrap } from '../api/client.js';

export const resultsKey = (projectKey: string, experimentKey: string, environment: string) =>
  ['projects', projectKey, 'experiments', experimentKey, 'results', environment] as const;

/**
 * The latest results, or `null` before the first analysis (the API's 404); with a dimension, each
 * metric also broken down by that attribute of the units' first exposure.
 */
export function useResults(projectKey: string, experimentKey: string, environment: string, dimension = '') {
  return useQuery({
    queryKey: [...resultsKey(projectKey, experimentKey, environment), dimension],
    // A new breakdown keeps the current results on screen until it arrives.
    placeholderData: (previous) => previous,
    queryFn: async () => {
      const { data, error, response } = await api.GET(
        '/api/v1/projects/{projectKey}/experiments/{key}/results',
        {
          params: {
            path: { projectKey, key: experimentKey },
            query: { environment, ...(dimension && { dimension }) },
          },
        },
      );
      // 404: no analysis has run yet in this environment.
      if (response.status === 404) return null;
      if (error !== undefined || !response.ok || data === undefined)
        throw ApiError.from(response.status, error);
      return data;
    },
  });
}

export function useRunAnalysis(projectKey: string, experimentKey: string, environment: string) {
  return useMutation({
    mutationFn: async () => {
      const { jobId } = await unwrap(
        api.POST('/api/v1/projects/{projectKey}/experiments/{key}/analysis', {
          params: { path: { projectKey, key: experimentKey } },
          body: { environment },
        }),
      );
      return jobId;
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
      const data = await unwrap(
        api.GET('/api/v1/projects/{projectKey}/jobs/{jobId}', {
          params: { path: { projectKey, jobId: jobId ?? '' } },
        }),
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
