/**
 * @module users/queries
 * The instance's accounts, for instance administrators (the API refuses everyone else): every
 * page read once and cached, so the instance's audit log can name whoever acted, members of
 * deleted projects included, and offer each of them under "Changed by".
 */
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client.js';

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

/** Accounts change rarely; a few minutes' staleness only delays a new person's name. */
export function useAllUsers() {
  return useQuery({ queryKey: ['users', { all: true }], queryFn: readAllUsers, staleTime: 5 * 60_000 });
}
