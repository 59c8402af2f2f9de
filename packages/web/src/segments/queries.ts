/**
 * @module segments/queries
 * Segments over the API: the list, one segment, create, change (with the version it was read at),
 * and archive/restore (the API refuses to archive one still in use and names who uses it).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../api/client.js';
import type { paths } from '../api/schema.gen.js';
import { type ListStatus, statusQuery } from '../management/status-filter.js';

type SegmentsList =
  paths['/api/v1/projects/{projectKey}/segments']['get']['responses'][200]['content']['application/json'];
export type Segment = SegmentsList['items'][number];
export type SegmentBody =
  paths['/api/v1/projects/{projectKey}/segments']['post']['requestBody']['content']['application/json'];

export const segmentsKey = (projectKey: string) => ['projects', projectKey, 'segments'] as const;

export function useSegments(projectKey: string, filters: { search: string; status: ListStatus }) {
  const search = filters.search.trim();
  const status = statusQuery(filters.status);
  return useQuery({
    queryKey: [...segmentsKey(projectKey), 'list', filters],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/projects/{projectKey}/segments', {
          params: {
            path: { projectKey },
            query: { limit: 200, ...(search && { search }), ...(status && { status }) },
          },
        }),
      ),
    placeholderData: (previous) => previous,
  });
}

export function useSegment(projectKey: string, key: string | undefined) {
  return useQuery({
    queryKey: [...segmentsKey(projectKey), 'one', key],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/projects/{projectKey}/segments/{key}', {
          params: { path: { projectKey, key: key ?? '' } },
        }),
      ),
    enabled: key !== undefined,
  });
}

export function useSaveSegment(projectKey: string, existing: { key: string; version: number } | undefined) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: SegmentBody) =>
      existing
        ? unwrap(
            api.PATCH('/api/v1/projects/{projectKey}/segments/{key}', {
              params: { path: { projectKey, key: existing.key } },
              body: { ...body, version: existing.version },
            }),
          )
        : unwrap(
            api.POST('/api/v1/projects/{projectKey}/segments', { params: { path: { projectKey } }, body }),
          ),
    onSettled: () => queryClient.invalidateQueries({ queryKey: segmentsKey(projectKey) }),
  });
}

export function useArchiveSegment(projectKey: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ key, version, archived }: { key: string; version: number; archived: boolean }) =>
      archived
        ? unwrap(
            api.POST('/api/v1/projects/{projectKey}/segments/{key}/archive', {
              params: { path: { projectKey, key } },
              body: { version },
            }),
          )
        : unwrap(
            api.POST('/api/v1/projects/{projectKey}/segments/{key}/restore', {
              params: { path: { projectKey, key } },
              body: { version },
            }),
          ),
    onSettled: () => queryClient.invalidateQueries({ queryKey: segmentsKey(projectKey) }),
  });
}
