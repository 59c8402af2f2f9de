/**
 * @module auth/session
 * Who is signed in, whether the instance waits for its first owner, and the sign-in, first-run
 * setup and sign-out mutations. The session query is the source of truth: a 401 means signed out.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../api/api-error.js';
import { api, setCsrfToken, unwrap } from '../api/client.js';

export type Session = Awaited<ReturnType<typeof readSession>>;

async function readSession() {
  const { data, response } = await api.GET('/api/v1/auth/session');
  if (response.status === 401) {
    setCsrfToken(undefined);
    return null;
  }
  if (!data) throw ApiError.from(response.status, undefined);
  setCsrfToken(data.csrfToken);
  return data;
}

export const SESSION_KEY = ['session'] as const;

export function useSession() {
  return useQuery({ queryKey: SESSION_KEY, queryFn: readSession, staleTime: 60_000 });
}

/** Whether the instance still waits for its first account (the owner). */
export function useAuthStatus() {
  return useQuery({ queryKey: ['auth-status'], queryFn: () => unwrap(api.GET('/api/v1/auth/status')) });
}

export interface SignInInput {
  email: string;
  password: string;
}

export function useSignIn() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: SignInInput) => unwrap(api.POST('/api/v1/auth/login', { body: input })),
    onSuccess: (session) => {
      setCsrfToken(session.csrfToken);
      queryClient.setQueryData(SESSION_KEY, session);
    },
  });
}

export interface SetupInput {
  email: string;
  name: string;
  password: string;
  /** The one-time code the server logs at start-up while no account exists. */
  setupCode: string;
}

export function useFirstRunSetup() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: SetupInput) => unwrap(api.POST('/api/v1/auth/signup', { body: input })),
    onSuccess: (session) => {
      setCsrfToken(session.csrfToken);
      queryClient.setQueryData(SESSION_KEY, session);
      queryClient.setQueryData(['auth-status'], { needsFirstUser: false });
    },
  });
}

export function useSignOut() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/auth/logout')),
    onSuccess: () => {
      setCsrfToken(undefined);
      // The session query stays (mounted observers keep watching it) and turns to null, which shows
      // the sign-in page; everything read as this person is dropped.
      queryClient.setQueryData(SESSION_KEY, null);
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== SESSION_KEY[0] });
    },
  });
}
