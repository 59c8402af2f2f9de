/**
 * @module management/definition-queries
 * The queries every definition kind (segments, layers, holdouts, metrics) has over the API: the
 * list, one definition, create, change (with the version it was read at), archive/restore. One set
 * of hooks taking the kind, so the four cannot drift apart; types come from the generated API schema.
 */
import {
  keepPreviousData,
  useMutation,
  useMutationState,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { api, unwrap } from '../api/client.js';
import type { paths } from '../api/schema.gen.js';
import { type ListStatus, statusQuery } from './status-filter.js';

export type DefinitionKind = 'segments' | 'layers' | 'holdouts' | 'metrics';

type ListPath<K extends DefinitionKind> = `/api/v1/projects/{projectKey}/${K}`;

type DefinitionList<K extends DefinitionKind> =
  paths[ListPath<K>]['get']['responses'][200]['content']['application/json'];
/** One definition of the kind, as the API lists and returns it. */
export type Definition<K extends DefinitionKind> = DefinitionList<K>['items'][number];
/** What creating or changing a definition of the kind sends. */
export type DefinitionBody<K extends DefinitionKind> =
  paths[ListPath<K>]['post']['requestBody']['content']['application/json'];

/**
 * What changing a definition sends: a merge patch, where `null` removes a field the definition
 * may lack (a metric's cap, say); fields left out are kept.
 */
export type DefinitionPatch<K extends DefinitionKind> = Omit<
  NonNullable<paths[`${ListPath<K>}/{key}`]['patch']['requestBody']>['content']['application/json'],
  'version'
>;

export interface DefinitionListFilters {
  search?: string;
  status: ListStatus;
}

export interface DefinitionQueryOptions {
  /** Keeps the last list on screen while another filter's list loads (lists searched as you type). */
  keepListWhileFiltering: boolean;
  /** Refetches after a refused change too (kinds whose refusals change what the list shows). */
  refetchAfterFailedChange: boolean;
}

/** Where the one version a change was read at lives. */
export interface ReadVersion {
  key: string;
  version: number;
}

/** A definition kind and how its queries behave; made once per kind by {@link definitionKind}. */
export interface DefinitionKindQueries<K extends DefinitionKind> extends DefinitionQueryOptions {
  kind: K;
}

export function definitionKind<K extends DefinitionKind>(
  kind: K,
  options: DefinitionQueryOptions,
): DefinitionKindQueries<K> {
  return { kind, ...options };
}

/** Every query of the kind in a project starts with this key (changes invalidate it). */
export const definitionsKey = (projectKey: string, kind: DefinitionKind) =>
  ['projects', projectKey, kind] as const;

// The calls go through the union of the four kinds' paths (which share one shape); their answers
// are the chosen kind's by construction of the path.
const listPath = (kind: DefinitionKind) => `/api/v1/projects/{projectKey}/${kind}` as const;
const onePath = (kind: DefinitionKind) => `/api/v1/projects/{projectKey}/${kind}/{key}` as const;
const archivePath = (kind: DefinitionKind, archived: boolean) =>
  archived
    ? (`/api/v1/projects/{projectKey}/${kind}/{key}/archive` as const)
    : (`/api/v1/projects/{projectKey}/${kind}/{key}/restore` as const);

function useInvalidateAfterChange(queries: DefinitionKindQueries<DefinitionKind>, projectKey: string) {
  const queryClient = useQueryClient();
  const invalidate = () =>
    queryClient.invalidateQueries({ queryKey: definitionsKey(projectKey, queries.kind) });
  return queries.refetchAfterFailedChange ? { onSettled: invalidate } : { onSuccess: invalidate };
}

export function useDefinitionList<K extends DefinitionKind>(
  queries: DefinitionKindQueries<K>,
  projectKey: string,
  filters: DefinitionListFilters,
) {
  const search = filters.search?.trim();
  const status = statusQuery(filters.status);
  return useQuery({
    queryKey: [...definitionsKey(projectKey, queries.kind), 'list', filters],
    queryFn: async (): Promise<DefinitionList<K>> =>
      (await unwrap(
        api.GET(listPath(queries.kind), {
          params: {
            path: { projectKey },
            query: { limit: 200, ...(search && { search }), ...(status && { status }) },
          },
        }),
      )) as DefinitionList<K>,
    placeholderData: queries.keepListWhileFiltering ? keepPreviousData : undefined,
  });
}

export function useDefinition<K extends DefinitionKind>(
  queries: DefinitionKindQueries<K>,
  projectKey: string,
  key: string | undefined,
) {
  return useQuery({
    queryKey: [...definitionsKey(projectKey, queries.kind), 'one', key],
    queryFn: async (): Promise<Definition<K>> =>
      (await unwrap(
        api.GET(onePath(queries.kind), { params: { path: { projectKey, key: key ?? '' } } }),
      )) as Definition<K>,
    enabled: key !== undefined,
  });
}

export function useSaveDefinition<K extends DefinitionKind>(
  queries: DefinitionKindQueries<K>,
  projectKey: string,
  existing: ReadVersion | undefined,
) {
  const invalidation = useInvalidateAfterChange(queries, projectKey);
  const mutationKey = [...definitionsKey(projectKey, queries.kind), 'save', existing?.key ?? null];
  // The page's form is remade with what the server stored after a save (a new mutation with it), so
  // "saved" is read from the mutation cache: the version on screen is the one this page saved.
  const savedVersions = useMutationState({
    filters: { mutationKey, status: 'success' },
    select: (mutation) => (mutation.state.data as { version?: number } | undefined)?.version,
  });
  const mutation = useMutation({
    mutationKey,
    mutationFn: (body: DefinitionBody<K> | DefinitionPatch<K>) =>
      existing
        ? unwrap(
            api.PATCH(onePath(queries.kind), {
              params: { path: { projectKey, key: existing.key } },
              body: { ...body, version: existing.version },
            }),
          )
        : unwrap(
            api.POST(listPath(queries.kind), {
              params: { path: { projectKey } },
              // Forms build a patch only for a definition they read (`existing`).
              body: body as DefinitionBody<K>,
            }),
          ),
    ...invalidation,
  });
  return { ...mutation, showsSaved: existing !== undefined && savedVersions.at(-1) === existing.version };
}

export function useArchiveDefinition(queries: DefinitionKindQueries<DefinitionKind>, projectKey: string) {
  const invalidation = useInvalidateAfterChange(queries, projectKey);
  return useMutation({
    mutationFn: ({ key, version, archived }: ReadVersion & { archived: boolean }) =>
      unwrap(
        api.POST(archivePath(queries.kind, archived), {
          params: { path: { projectKey, key } },
          body: { version },
        }),
      ),
    ...invalidation,
  });
}
