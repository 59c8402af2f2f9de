/**
 * @module api-keys/queries
 * A project's API keys: the list (never the secrets), create (the one answer that carries the
 * secret), revoke.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../api/client.js';
import type { paths } from '../api/schema.gen.js';

type KeysList =
  paths['/api/v1/projects/{projectKey}/api-keys']['get']['responses'][200]['content']['application/json'];
export type ApiKey = KeysList['items'][number];
export type ApiKeyKind = ApiKey['kind'];
export type CreateApiKeyBody =
  paths['/api/v1/projects/{projectKey}/api-keys']['post']['requestBody']['content']['application/json'];

const apiKeysKey = (projectKey: string) => ['projects', projectKey, 'api-keys'] as const;

export function useApiKeys(projectKey: string) {
  return useQuery({
    queryKey: apiKeysKey(projectKey),
    queryFn: () =>
      unwrap(api.GET('/api/v1/projects/{projectKey}/api-keys', { params: { path: { projectKey } } })),
  });
}

export function useCreateApiKey(projectKey: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateApiKeyBody) =>
      unwrap(api.POST('/api/v1/projects/{projectKey}/api-keys', { params: { path: { projectKey } }, body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: apiKeysKey(projectKey) }),
  });
}

export function useRevokeApiKey(projectKey: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (keyId: string) =>
      unwrap(
        api.DELETE('/api/v1/projects/{projectKey}/api-keys/{keyId}', {
          params: { path: { projectKey, keyId } },
        }),
      ),
    onSettled: () => queryClient.invalidateQueries({ queryKey: apiKeysKey(projectKey) }),
  });
}
