/**
 * @module projects/queries
 * Projects, a project's environments, and the signed-in person's role in it (instance
 * administrators act as owners everywhere, as the server treats them).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../api/client.js';
import { useSession } from '../auth/session.js';

export type ProjectRole = 'viewer' | 'editor' | 'admin' | 'owner';
const ROLE_ORDER: readonly ProjectRole[] = ['viewer', 'editor', 'admin', 'owner'];

/** Whether `role` includes what `minimum` may do (roles are cumulative). */
export function roleAtLeast(role: ProjectRole | undefined, minimum: ProjectRole): boolean {
  return role !== undefined && ROLE_ORDER.indexOf(role) >= ROLE_ORDER.indexOf(minimum);
}

export function useProjects() {
  return useQuery({
    queryKey: ['projects'],
    queryFn: () => unwrap(api.GET('/api/v1/projects', { params: { query: { limit: 100 } } })),
  });
}

export type Project = Awaited<ReturnType<typeof readAllProjects>>[number];

/** Every project the person can see, page after page (the instance's audit log names them all). */
async function readAllProjects() {
  const first = await unwrap(api.GET('/api/v1/projects', { params: { query: { limit: 100 } } }));
  const projects = [...first.items];
  for (let cursor = first.nextCursor; cursor; ) {
    const page = await unwrap(api.GET('/api/v1/projects', { params: { query: { limit: 100, cursor } } }));
    projects.push(...page.items);
    cursor = page.nextCursor;
  }
  return projects;
}

export function useAllProjects() {
  // Under `projects`, so creating or deleting one refreshes it like the first page.
  return useQuery({ queryKey: ['projects', { all: true }], queryFn: readAllProjects });
}

export function useProject(projectKey: string) {
  return useQuery({
    queryKey: ['projects', projectKey],
    queryFn: () => unwrap(api.GET('/api/v1/projects/{projectKey}', { params: { path: { projectKey } } })),
  });
}

export function useMyRole(projectKey: string): ProjectRole | undefined {
  const session = useSession();
  const user = session.data?.user;
  const members = useQuery({
    queryKey: ['projects', projectKey, 'members'],
    queryFn: () =>
      unwrap(api.GET('/api/v1/projects/{projectKey}/members', { params: { path: { projectKey } } })),
    enabled: user !== undefined && !user.isInstanceAdmin,
  });
  if (!user) return undefined;
  if (user.isInstanceAdmin) return 'owner';
  return members.data?.items.find((member) => member.userId === user.id)?.role;
}

export function useCreateProject() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { key: string; name: string }) => unwrap(api.POST('/api/v1/projects', { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['projects'] }),
  });
}

export function useUpdateProject(projectKey: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { name: string; description: string; version: number }) =>
      unwrap(api.PATCH('/api/v1/projects/{projectKey}', { params: { path: { projectKey } }, body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['projects'] }),
  });
}

export function useCreateEnvironment(projectKey: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { key: string; name: string }) =>
      unwrap(
        api.POST('/api/v1/projects/{projectKey}/environments', { params: { path: { projectKey } }, body }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['projects', projectKey] }),
  });
}

/** Deletes the project with everything in it; the caller leaves its pages first. */
export function useDeleteProject(projectKey: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (version: number) =>
      unwrap(
        api.DELETE('/api/v1/projects/{projectKey}', { params: { path: { projectKey } }, body: { version } }),
      ),
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: ['projects', projectKey] });
      return queryClient.invalidateQueries({ queryKey: ['projects'] });
    },
  });
}
