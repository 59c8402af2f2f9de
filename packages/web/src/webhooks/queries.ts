/**
 * @module webhooks/queries
 * Webhooks over the API (admins and owners): the list, one webhook, create and rotate-secret (the
 * answers that carry the signing secret), change with the version it was read at, delete, a test
 * delivery, the delivery log page by page, and sending a finished delivery again.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../api/client.js';
import type { paths } from '../api/schema.gen.js';

type WebhooksList =
  paths['/api/v1/projects/{projectKey}/webhooks']['get']['responses'][200]['content']['application/json'];
export type Webhook = WebhooksList['items'][number];
export type CreateWebhookBody =
  paths['/api/v1/projects/{projectKey}/webhooks']['post']['requestBody']['content']['application/json'];
type DeliveriesPage =
  paths['/api/v1/projects/{projectKey}/webhooks/{webhookId}/deliveries']['get']['responses'][200]['content']['application/json'];
export type Delivery = DeliveriesPage['items'][number];

const webhooksKey = (projectKey: string) => ['projects', projectKey, 'webhooks'] as const;

export function useWebhooks(projectKey: string) {
  return useQuery({
    queryKey: [...webhooksKey(projectKey), 'list'],
    queryFn: () =>
      unwrap(api.GET('/api/v1/projects/{projectKey}/webhooks', { params: { path: { projectKey } } })),
  });
}

export function useWebhook(projectKey: string, webhookId: string) {
  return useQuery({
    queryKey: [...webhooksKey(projectKey), 'one', webhookId],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/projects/{projectKey}/webhooks/{webhookId}', {
          params: { path: { projectKey, webhookId } },
        }),
      ),
  });
}

export const DELIVERIES_PAGE_SIZE = 20;

export function useDeliveries(projectKey: string, webhookId: string, cursor: string | undefined) {
  return useQuery({
    queryKey: [...webhooksKey(projectKey), 'deliveries', webhookId, cursor],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/projects/{projectKey}/webhooks/{webhookId}/deliveries', {
          params: {
            path: { projectKey, webhookId },
            query: { limit: DELIVERIES_PAGE_SIZE, ...(cursor && { cursor }) },
          },
        }),
      ),
    placeholderData: (previous) => previous,
    // Pending deliveries move on their own: look again while any is waiting.
    refetchInterval: (query) =>
      query.state.data?.items.some((delivery) => delivery.status === 'pending') ? 3_000 : false,
  });
}

export function useCreateWebhook(projectKey: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateWebhookBody) =>
      unwrap(api.POST('/api/v1/projects/{projectKey}/webhooks', { params: { path: { projectKey } }, body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: webhooksKey(projectKey) }),
  });
}

export function useChangeWebhook(projectKey: string, webhookId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Partial<CreateWebhookBody> & { version: number }) =>
      unwrap(
        api.PATCH('/api/v1/projects/{projectKey}/webhooks/{webhookId}', {
          params: { path: { projectKey, webhookId } },
          body,
        }),
      ),
    onSettled: () => queryClient.invalidateQueries({ queryKey: webhooksKey(projectKey) }),
  });
}

export function useWebhookAction(projectKey: string, webhookId: string) {
  const queryClient = useQueryClient();
  const params = { params: { path: { projectKey, webhookId } } };
  const refresh = () => queryClient.invalidateQueries({ queryKey: webhooksKey(projectKey) });
  return {
    test: useMutation({
      mutationFn: () => unwrap(api.POST('/api/v1/projects/{projectKey}/webhooks/{webhookId}/test', params)),
      onSuccess: refresh,
    }),
    rotate: useMutation({
      mutationFn: () =>
        unwrap(api.POST('/api/v1/projects/{projectKey}/webhooks/{webhookId}/rotate-secret', params)),
      onSuccess: refresh,
    }),
    redeliver: useMutation({
      mutationFn: (deliveryId: string) =>
        unwrap(
          api.POST('/api/v1/projects/{projectKey}/webhooks/{webhookId}/deliveries/{deliveryId}/redeliver', {
            params: { path: { projectKey, webhookId, deliveryId } },
          }),
        ),
      onSuccess: refresh,
    }),
    remove: useMutation({
      mutationFn: () => unwrap(api.DELETE('/api/v1/projects/{projectKey}/webhooks/{webhookId}', params)),
      onSuccess: refresh,
    }),
  };
}
