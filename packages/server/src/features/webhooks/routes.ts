/**
 * @module features/webhooks/routes
 * `/api/v1/projects/{projectKey}/webhooks`: subscriptions to change events and their delivery log.
 * All of it needs `manage`, reads included: URLs often embed tokens, and payloads show every change.
 * The signing secret appears only in the responses to create and rotate-secret.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Description, ProjectParams, Timestamp, WriteVersion } from '../../http/api-schemas.js';
import { ValidationError } from '../../http/errors.js';
import { decodeCursor, encodeCursor, PageQuery, pageResponse } from '../../http/pagination.js';
import { expectedVersion, setEtag } from '../../http/version-precondition.js';
import { currentProject } from '../access/request-context.js';
import type { DeliveryPosition } from './delivery-outbox-store.js';
import type { WebhookService } from './service.js';
import { hasUserInfo } from './url-redaction.js';
import type { WebhookDelivery } from './webhook.js';

const WebhookUrl = z
  .url({ protocol: /^https?$/, error: 'must be an absolute http:// or https:// URL' })
  .max(2000)
  .refine(
    (url) => !hasUserInfo(url),
    'must not contain credentials (user:password@): they would be stored and shown as plain text; check the x-cleave-signature of each delivery instead',
  )
  .describe(
    'Where deliveries are POSTed (no user:password@; a token in the path or query is shown to admins only)',
  );

const EventPattern = z
  .string()
  .regex(
    /^(\*|[a-z][a-z0-9_]*\.(\*|[a-z][a-z0-9_]*))$/,
    'must be an event type like "flag.updated", a pattern like "flag.*", or "*"',
  );

const Events = z
  .array(EventPattern)
  .min(1)
  .max(50)
  .describe('Event types (`flag.updated`) or patterns (`flag.*`, `*` for everything)');

const WebhookResponse = z.object({
  id: z.string(),
  url: z.string(),
  description: z.string(),
  events: z.array(z.string()),
  enabled: z.boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  version: z.number().int(),
});

const WebhookWithSecretResponse = WebhookResponse.extend({
  secret: z
    .string()
    .describe('Signs every delivery (x-cleave-signature). Shown only in this response: store it now.'),
});

const DeliveryResponse = z.object({
  id: z.string(),
  webhookId: z.string(),
  eventId: z.string(),
  eventType: z.string(),
  status: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.number().int(),
  nextAttemptAt: Timestamp.nullable(),
  lastStatusCode: z.number().int().nullable(),
  lastError: z.string().nullable(),
  payload: z.unknown().describe('The JSON body POSTed to the webhook'),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

const WebhookDetailResponse = WebhookResponse.extend({
  recentDeliveries: z.array(DeliveryResponse).describe('The newest deliveries, newest first'),
});

const CreateWebhookBody = z.object({
  url: WebhookUrl,
  description: Description.optional(),
  events: Events,
  enabled: z.boolean().optional(),
});

const UpdateWebhookBody = z.object({
  url: WebhookUrl.optional(),
  description: Description.optional(),
  events: Events.optional(),
  enabled: z.boolean().optional(),
  version: WriteVersion,
});

const WebhookParams = ProjectParams.extend({ webhookId: z.string().min(1).max(100) });

export const webhookRoutes: FastifyPluginAsyncZod<{ webhooks: WebhookService }> = async (
  app,
  { webhooks },
) => {
  app.post(
    '/projects/:projectKey/webhooks',
    {
      config: { access: { scope: 'project', permission: 'manage' } },
      schema: {
        tags: ['webhooks'],
        summary: 'Subscribe a URL to change events (the signing secret is shown once)',
        params: ProjectParams,
        body: CreateWebhookBody,
        response: { 201: WebhookWithSecretResponse },
      },
    },
    async (request, reply) => {
      const webhook = await webhooks.create(
        currentProject(request),
        request.body,
        request.principal,
        request.id,
      );
      setEtag(reply, webhook.version);
      return reply.status(201).send(webhook);
    },
  );

  app.get(
    '/projects/:projectKey/webhooks',
    {
      config: { access: { scope: 'project', permission: 'manage' } },
      schema: {
        tags: ['webhooks'],
        summary: 'List webhooks (never their secrets)',
        params: ProjectParams,
        response: { 200: z.object({ items: z.array(WebhookResponse) }) },
      },
    },
    async (request) => ({ items: await webhooks.list(currentProject(request)) }),
  );

  app.get(
    '/projects/:projectKey/webhooks/:webhookId',
    {
      config: { access: { scope: 'project', permission: 'manage' } },
      schema: {
        tags: ['webhooks'],
        summary: 'A webhook and its most recent deliveries',
        params: WebhookParams,
        response: { 200: WebhookDetailResponse },
      },
    },
    async (request, reply) => {
      const webhook = await webhooks.get(currentProject(request), request.params.webhookId);
      setEtag(reply, webhook.version);
      return webhook;
    },
  );

  app.patch(
    '/projects/:projectKey/webhooks/:webhookId',
    {
      config: { access: { scope: 'project', permission: 'manage' } },
      schema: {
        tags: ['webhooks'],
        summary: 'Change the URL, description, events or enabled state',
        params: WebhookParams,
        body: UpdateWebhookBody,
        response: { 200: WebhookResponse },
      },
    },
    async (request, reply) => {
      const { version, ...change } = request.body;
      const updated = await webhooks.update(
        currentProject(request),
        request.params.webhookId,
        change,
        expectedVersion(request, version),
        request.principal,
        request.id,
      );
      setEtag(reply, updated.version);
      return updated;
    },
  );

  app.delete(
    '/projects/:projectKey/webhooks/:webhookId',
    {
      config: { access: { scope: 'project', permission: 'manage' } },
      schema: {
        tags: ['webhooks'],
        summary: 'Delete a webhook and its queued deliveries',
        params: WebhookParams,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await webhooks.delete(currentProject(request), request.params.webhookId, request.principal, request.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/projects/:projectKey/webhooks/:webhookId/rotate-secret',
    {
      config: { access: { scope: 'project', permission: 'manage' } },
      schema: {
        tags: ['webhooks'],
        summary: 'Replace the signing secret (the new one is shown once)',
        params: WebhookParams,
        response: { 200: WebhookWithSecretResponse },
      },
    },
    async (request, reply) => {
      const webhook = await webhooks.rotateSecret(
        currentProject(request),
        request.params.webhookId,
        request.principal,
        request.id,
      );
      setEtag(reply, webhook.version);
      return webhook;
    },
  );

  app.post(
    '/projects/:projectKey/webhooks/:webhookId/test',
    {
      config: { access: { scope: 'project', permission: 'manage' } },
      schema: {
        tags: ['webhooks'],
        summary: 'Queue a webhook.test delivery to this webhook (sent even when it is disabled)',
        params: WebhookParams,
        response: { 202: DeliveryResponse },
      },
    },
    async (request, reply) => {
      const delivery = await webhooks.sendTest(
        currentProject(request),
        request.params.webhookId,
        request.principal,
      );
      return reply.status(202).send(delivery);
    },
  );

  app.post(
    '/projects/:projectKey/webhooks/:webhookId/deliveries/:deliveryId/redeliver',
    {
      config: { access: { scope: 'project', permission: 'manage' } },
      schema: {
        tags: ['webhooks'],
        summary:
          'Send a finished delivery again (same delivery and event id, fresh retries); refused while it is pending or the webhook is disabled',
        params: WebhookParams.extend({ deliveryId: z.string().max(100) }),
        response: { 202: DeliveryResponse },
      },
    },
    async (request, reply) => {
      const { webhookId, deliveryId } = request.params;
      const delivery = await webhooks.redeliver(currentProject(request), webhookId, deliveryId);
      return reply.status(202).send(delivery);
    },
  );

  app.get(
    '/projects/:projectKey/webhooks/:webhookId/deliveries',
    {
      config: { access: { scope: 'project', permission: 'manage' } },
      schema: {
        tags: ['webhooks'],
        summary: 'Delivery log of a webhook, newest first',
        params: WebhookParams,
        querystring: PageQuery,
        response: { 200: pageResponse(DeliveryResponse) },
      },
    },
    async (request) => {
      const { limit, cursor } = request.query;
      const rows = await webhooks.deliveries(currentProject(request), request.params.webhookId, {
        limit: limit + 1,
        after: deliveryPosition(decodeCursor(cursor)),
      });
      const items = rows.slice(0, limit);
      const last = items.at(-1);
      return { items, nextCursor: rows.length > limit && last ? deliveryCursor(last) : null };
    },
  );
};

// Deliveries page on (createdAt, id): the changes of one transaction share a creation time.
function deliveryCursor(delivery: WebhookDelivery): string {
  return encodeCursor(`${delivery.createdAt}|${delivery.id}`);
}

function deliveryPosition(after: string | number | undefined): DeliveryPosition | undefined {
  if (after === undefined) return undefined;
  const [createdAt, id] = String(after).split('|');
  if (!createdAt || !id || Number.isNaN(Date.parse(createdAt))) {
    throw new ValidationError('The cursor is not valid for this delivery log; start again without it.', {
      issues: [{ path: '/query/cursor', message: 'is not a delivery cursor' }],
    });
  }
  return { createdAt, id };
}
