/**
 * @module flags/queries
 * Flags over the API: the filtered list, one flag, and the per-environment kill switch. Every
 * write carries the version it was made against, so a change made elsewhere meanwhile is a 409
 * the UI shows instead of overwriting it.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../api/client.js';
import type { paths } from '../api/schema.gen.js';

type FlagsList =
  paths['/api/v1/projects/{projectKey}/flags']['get']['responses'][200]['content']['application/json'];
export type Flag = FlagsList['items'][number];
export type FlagType = Flag['type'];

export interface FlagFilters {
  search: string;
  /** `active` (default) or `archived`. */
  status: 'active' | 'archived';
  tag: string;
}

export const flagsKey = (projectKey: string) => ['projects', projectKey, 'flags'] as const;

export function useFlags(projectKey: string, filters: FlagFilters) {
  return useQuery({
    queryKey: [...flagsKey(projectKey), 'list', filters],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/projects/{projectKey}/flags', {
          params: {
            path: { projectKey },
            query: {
              limit: 200,
              status: filters.status,
              ...(filters.search.trim() && { search: filters.search.trim() }),
              ...(filters.tag.trim() && { tag: filters.tag.trim() }),
            },
          },
        }),
      ),
    placeholderData: (previous) => previous,
  });
}

export function useFlag(projectKey: string, key: string) {
  return useQuery({
    queryKey: [...flagsKey(projectKey), 'one', key],
    queryFn: () =>
      unwrap(api.GET('/api/v1/projects/{projectKey}/flags/{key}', { params: { path: { projectKey, key } } })),
  });
}

export interface ToggleInput {
  key: string;
  environment: string;
  enabled: boolean;
  version: number;
}

export function useToggleFlag(projectKey: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ key, environment, enabled, version }: ToggleInput) =>
      unwrap(
        api.POST('/api/v1/projects/{projectKey}/flags/{key}/environments/{environmentKey}/toggle', {
          params: { path: { projectKey, key, environmentKey: environment } },
          body: { enabled, version },
        }),
      ),
    // Refetch on failure too: a 409 means the list shows an outdated version.
    onSettled: () => queryClient.invalidateQueries({ queryKey: flagsKey(projectKey) }),
  });
}
