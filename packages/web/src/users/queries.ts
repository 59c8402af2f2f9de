/**
 * @module users/queries
 * The instance's accounts, for instance administrators (the API refuses everyone else): every
 * page read once and cached, so the instance's audit log can name whoever acted, members of
 * deleted projects included, and offer each of them under "Changed by"; and the changes the People
 * page makes (create an account, disable or enable it, grant or revoke instance administration).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../api/client.js';
import type { paths } from '../api/schema.gen.js';

export type NewUserBody = paths['/api/v1/users']['post']['requestBody']['content']['application/json'];
export type UserAccessChange =
  paths['/api/v1/users/{userId}']['patch']['requestBody']['content']['application/json'];

/** The largest page the API gives: fewest round trips for a whole instance. */
const USERS_PAGE_SIZE = 200;

export type InstanceUser = Awaited<ReturnType<typeof readAllUsers>>[number];

async function readAllUsers() {
  const first = await unwrap(api.GET('/api/v1/users', { params: { query: { limit: USERS_PAGE_SIZE } } }));
  const users = [...first.items];
  for (let cursor = first.nextCursor; cursor; ) {
    const page = await unwrap(
      api.GET('/api/v1/users', { params: { query: { limit: USERS_PAGE_SIZE, cursor } } }),
    );
    users.push(...page.items);
    cursor = page.nextCursor;
  }
  return users;
}

const USERS_KEY = ['users', { all: true }] as const;

/** Accounts change rarely; a few minutes' staleness only delays a new person's name. */
export function useAllUsers() {
  return useQuery({ queryKey: USERS_KEY, queryFn: readAllUsers, staleTime: 5 * 60_000 });
}

export function useCreateUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: NewUserBody) => unwrap(api.POST('/api/v1/users', { body })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: USERS_KEY }),
  });
}

/** One mutation per row, so each row shows its own pending state and its own refusal. */
export function useUpdateUserAccess(userId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: UserAccessChange) =>
      unwrap(api.PATCH('/api/v1/users/{userId}', { params: { path: { userId } }, body })),
    onSuccess: (updated) =>
      queryClient.setQueryData<InstanceUser[]>(USERS_KEY, (users) =>
        users?.map((user) => (user.id === updated.id ? updated : user)),
      ),
    onSettled: () => queryClient.invalidateQueries({ queryKey: USERS_KEY }),
  });
}
