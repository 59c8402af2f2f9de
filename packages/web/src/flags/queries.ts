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

/** Segment keys to pick from in a condition (the first page: 200). */
export function useSegmentKeys(projectKey: string) {
  return useQuery({
    queryKey: ['projects', projectKey, 'segments', 'keys'],
    queryFn: async () => {
      const page = await unwrap(
        api.GET('/api/v1/projects/{projectKey}/segments', {
          params: { path: { projectKey }, query: { limit: 200 } },
        }),
      );
      return page.items.map((segment) => segment.key);
    },
  });
}

/** Experiments an experiment rule can hand units to: not yet stopped or archived. */
export function useExperimentKeys(projectKey: string) {
  return useQuery({
    queryKey: ['projects', projectKey, 'experiments', 'keys'],
    queryFn: async () => {
      const page = await unwrap(
        api.GET('/api/v1/projects/{projectKey}/experiments', {
          params: { path: { projectKey }, query: { limit: 200, status: 'draft,running' } },
        }),
      );
      return page.items.map((experiment) => experiment.key);
    },
  });
}

export type EnvironmentState = Flag['environments'][string];

/** Replaces one environment's state, against the version the draft started from. */
export function useSaveEnvironment(projectKey: string, key: string, environment: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ state, version }: { state: EnvironmentState; version: number }) =>
      unwrap(
        api.PUT('/api/v1/projects/{projectKey}/flags/{key}/environments/{environmentKey}', {
          params: { path: { projectKey, key, environmentKey: environment } },
          body: { ...state, version },
        }),
      ),
    onSettled: () => queryClient.invalidateQueries({ queryKey: flagsKey(projectKey) }),
  });
}

/** Makes the environment's state a copy of another environment's (one change on the server). */
export function useCopyEnvironment(projectKey: string, key: string, environment: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ from, version }: { from: string; version: number }) =>
      unwrap(
        api.POST('/api/v1/projects/{projectKey}/flags/{key}/environments/{environmentKey}/copy', {
          params: { path: { projectKey, key, environmentKey: environment } },
          body: { from, version },
        }),
      ),
    onSettled: () => queryClient.invalidateQueries({ queryKey: flagsKey(projectKey) }),
  });
}

export function useStaleFlags(projectKey: string, environment: string, days: number) {
  return useQuery({
    queryKey: [...flagsKey(projectKey), 'stale', environment, days],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/projects/{projectKey}/environments/{environmentKey}/stale-flags', {
          params: { path: { projectKey, environmentKey: environment }, query: { days } },
        }),
      ),
    placeholderData: (previous) => previous,
  });
}
