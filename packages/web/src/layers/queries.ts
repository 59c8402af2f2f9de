/**
 * @module layers/queries
 * Layers over the API: list, create, change (with the version it was read at), archive/restore.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../api/client.js';
import type { paths } from '../api/schema.gen.js';
import { type ListStatus, statusQuery } from '../management/status-filter.js';

type LayersList =
  paths['/api/v1/projects/{projectKey}/layers']['get']['responses'][200]['content']['application/json'];
export type Layer = LayersList['items'][number];
export type LayerBody =
  paths['/api/v1/projects/{projectKey}/layers']['post']['requestBody']['content']['application/json'];

export const layersKey = (projectKey: string) => ['projects', projectKey, 'layers'] as const;

export function useLayers(projectKey: string, listStatus: ListStatus) {
  const status = statusQuery(listStatus);
  return useQuery({
    queryKey: [...layersKey(projectKey), 'list', listStatus],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/projects/{projectKey}/layers', {
          params: { path: { projectKey }, query: { limit: 200, ...(status && { status }) } },
        }),
      ),
  });
}

export function useSaveLayer(projectKey: string, existing: { key: string; version: number } | undefined) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: LayerBody) =>
      existing
        ? unwrap(
            api.PATCH('/api/v1/projects/{projectKey}/layers/{key}', {
              params: { path: { projectKey, key: existing.key } },
              body: { ...body, version: existing.version },
            }),
          )
        : unwrap(
            api.POST('/api/v1/projects/{projectKey}/layers', { params: { path: { projectKey } }, body }),
          ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: layersKey(projectKey) }),
  });
}

export function useArchiveLayer(projectKey: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ key, version, archived }: { key: string; version: number; archived: boolean }) =>
      unwrap(
        api.POST(
          archived
            ? '/api/v1/projects/{projectKey}/layers/{key}/archive'
            : '/api/v1/projects/{projectKey}/layers/{key}/restore',
          { params: { path: { projectKey, key } }, body: { version } },
        ),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: layersKey(projectKey) }),
  });
}
