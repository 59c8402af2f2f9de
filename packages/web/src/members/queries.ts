/**
 * @module members/queries
 * A project's members: the list, add or change a role (the same call: by email), remove.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../api/client.js';
import type { paths } from '../api/schema.gen.js';

export type MemberBody =
  paths['/api/v1/projects/{projectKey}/members']['put']['requestBody']['content']['application/json'];
export type MemberRole = MemberBody['role'];

/** The same cache entry the layout reads the person's own role from. */
const membersKey = (projectKey: string) => ['projects', projectKey, 'members'] as const;

const readMembers = (projectKey: string) =>
  unwrap(api.GET('/api/v1/projects/{projectKey}/members', { params: { path: { projectKey } } }));

export type Member = Awaited<ReturnType<typeof readMembers>>['items'][number];

export function useMembers(projectKey: string) {
  return useQuery({ queryKey: membersKey(projectKey), queryFn: () => readMembers(projectKey) });
}

export function usePutMember(projectKey: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: MemberBody) =>
      unwrap(api.PUT('/api/v1/projects/{projectKey}/members', { params: { path: { projectKey } }, body })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: membersKey(projectKey) }),
  });
}

export function useRemoveMember(projectKey: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (userId: string) =>
      unwrap(
        api.DELETE('/api/v1/projects/{projectKey}/members/{userId}', {
          params: { path: { projectKey, userId } },
        }),
      ),
    onSettled: () => queryClient.invalidateQueries({ queryKey: membersKey(projectKey) }),
  });
}
