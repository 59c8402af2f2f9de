/**
 * @module metrics/queries
 * Metrics over the API: the list, one metric, create, change (with the version it was read at),
 * archive/restore.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../api/client.js';
import type { paths } from '../api/schema.gen.js';
import { type ListStatus, statusQuery } from '../management/status-filter.js';

type MetricsList =
  paths['/api/v1/projects/{projectKey}/metrics']['get']['responses'][200]['content']['application/json'];
export type Metric = MetricsList['items'][number];
export type MetricBody =
  paths['/api/v1/projects/{projectKey}/metrics']['post']['requestBody']['content']['application/json'];

export const metricsKey = (projectKey: string) => ['projects', projectKey, 'metrics'] as const;

export function useMetricsLibrary(projectKey: string, filters: { search: string; status: ListStatus }) {
  const search = filters.search.trim();
  const status = statusQuery(filters.status);
  return useQuery({
    queryKey: [...metricsKey(projectKey), 'library', filters],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/projects/{projectKey}/metrics', {
          params: {
            path: { projectKey },
            query: { limit: 200, ...(search && { search }), ...(status && { status }) },
          },
        }),
      ),
    placeholderData: (previous) => previous,
  });
}

export function useMetric(projectKey: string, key: string | undefined) {
  return useQuery({
    queryKey: [...metricsKey(projectKey), 'one', key],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/projects/{projectKey}/metrics/{key}', {
          params: { path: { projectKey, key: key ?? '' } },
        }),
      ),
    enabled: key !== undefined,
  });
}

export function useSaveMetric(projectKey: string, existing: { key: string; version: number } | undefined) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: MetricBody) =>
      existing
        ? unwrap(
            api.PATCH('/api/v1/projects/{projectKey}/metrics/{key}', {
              params: { path: { projectKey, key: existing.key } },
              body: { ...body, version: existing.version },
            }),
          )
        : unwrap(
            api.POST('/api/v1/projects/{projectKey}/metrics', { params: { path: { projectKey } }, body }),
          ),
    onSettled: () => queryClient.invalidateQueries({ queryKey: metricsKey(projectKey) }),
  });
}

export function useArchiveMetric(projectKey: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ key, version, archived }: { key: string; version: number; archived: boolean }) =>
      unwrap(
        api.POST(
          archived
            ? '/api/v1/projects/{projectKey}/metrics/{key}/archive'
            : '/api/v1/projects/{projectKey}/metrics/{key}/restore',
          { params: { path: { projectKey, key } }, body: { version } },
        ),
      ),
    onSettled: () => queryClient.invalidateQueries({ queryKey: metricsKey(projectKey) }),
  });
}
