/**
 * @module holdouts/queries
 * Holdouts over the API: list, create, change (with the version it was read at), archive/restore.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../api/client.js';
import type { paths } from '../api/schema.gen.js';
import { type ListStatus, statusQuery } from '../management/status-filter.js';

type HoldoutsList =
  paths['/api/v1/projects/{projectKey}/holdouts']['get']['responses'][200]['content']['application/json'];
export type Holdout = HoldoutsList['items'][number];
export type HoldoutBody =
  paths['/api/v1/projects/{projectKey}/holdouts']['post']['requestBody']['content']['application/json'];

export const holdoutsKey = (projectKey: string) => ['projects', projectKey, 'holdouts'] as const;

export function useHoldouts(projectKey: string, listStatus: ListStatus) {
  const status = statusQuery(listStatus);
  return useQuery({
    queryKey: [...holdoutsKey(projectKey), 'list', listStatus],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/projects/{projectKey}/holdouts', {
          params: { path: { projectKey }, query: { limit: 200, ...(status && { status }) } },
        }),
      ),
  });
}

export function useSaveHoldout(projectKey: string, existing: { key: string; version: number } | undefined) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: HoldoutBody) =>
      existing
        ? unwrap(
            api.PATCH('/api/v1/projects/{projectKey}/holdouts/{key}', {
              params: { path: { projectKey, key: existing.key } },
              body: { ...body, version: existing.version },
            }),
          )
        : unwrap(
            api.POST('/api/v1/projects/{projectKey}/holdouts', { params: { path: { projectKey } }, body }),
          ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: holdoutsKey(projectKey) }),
  });
}

export function useArchiveHoldout(projectKey: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ key, version, archived }: { key: string; version: number; archived: boolean }) =>
      unwrap(
        api.POST(
          archived
            ? '/api/v1/projects/{projectKey}/holdouts/{key}/archive'
            : '/api/v1/projects/{projectKey}/holdouts/{key}/restore',
          { params: { path: { projectKey, key } }, body: { version } },
        ),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: holdoutsKey(projectKey) }),
  });
}
