/**
 * @module experiments/queries
 * Experiments over the typed API client: the list, one experiment, start, and conclude (stop with
 * a decision, optionally rolled out through the flags that run it).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../api/client.js';
import type { paths } from '../api/schema.gen.js';

type ExperimentsList =
  paths['/api/v1/projects/{projectKey}/experiments']['get']['responses'][200]['content']['application/json'];
export type Experiment = ExperimentsList['items'][number];
export type ConcludeBody =
  paths['/api/v1/projects/{projectKey}/experiments/{key}/stop']['post']['requestBody']['content']['application/json'];

export const experimentsKey = (projectKey: string) => ['projects', projectKey, 'experiments'] as const;

export function useExperiments(projectKey: string, status: string) {
  return useQuery({
    queryKey: [...experimentsKey(projectKey), 'list', status],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/projects/{projectKey}/experiments', {
          params: { path: { projectKey }, query: { limit: 200, ...(status && { status }) } },
        }),
      ),
  });
}

type ResultsSummaries =
  paths['/api/v1/projects/{projectKey}/results/summary']['get']['responses'][200]['content']['application/json'];
export type ResultsSummary = ResultsSummaries['items'][number];

/** Each analysed experiment's latest results in an environment, by experiment key. */
export function useResultsSummaries(projectKey: string, environment: string) {
  return useQuery({
    queryKey: [...experimentsKey(projectKey), 'summaries', environment],
    queryFn: async () => {
      const summaries = await unwrap(
        api.GET('/api/v1/projects/{projectKey}/results/summary', {
          params: { path: { projectKey }, query: { environment } },
        }),
      );
      return new Map(summaries.items.map((summary) => [summary.experiment, summary]));
    },
  });
}

export function useExperiment(projectKey: string, key: string) {
  return useQuery({
    queryKey: [...experimentsKey(projectKey), 'one', key],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/projects/{projectKey}/experiments/{key}', { params: { path: { projectKey, key } } }),
      ),
  });
}

export function useStartExperiment(projectKey: string, key: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (version: number) =>
      unwrap(
        api.POST('/api/v1/projects/{projectKey}/experiments/{key}/start', {
          params: { path: { projectKey, key } },
          body: { version },
        }),
      ),
    onSettled: () => queryClient.invalidateQueries({ queryKey: experimentsKey(projectKey) }),
  });
}

export function useConcludeExperiment(projectKey: string, key: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ConcludeBody) =>
      unwrap(
        api.POST('/api/v1/projects/{projectKey}/experiments/{key}/stop', {
          params: { path: { projectKey, key } },
          body,
        }),
      ),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['projects', projectKey] }),
  });
}
