/**
 * @module features/live-updates/routes
 * `GET /api/v1/projects/{projectKey}/changes/stream`: Server-Sent Events of what changes in a
 * project (flags, experiments, metrics, members, … and new analysis results), so the UI refreshes
 * what a change touched without a reload. Readable by anyone who may read the project (a session,
 * or the project's admin key).
 *
 * Events: `event: change`, `id: <change id>`, `data: {"resourceType","resourceKey","action","at"}`.
 * Changes are not replayed: a reconnect (with `Last-Event-ID`) or an interrupted fan-out gets one
 * `event: resync`, after which the client re-reads what it shows.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ChangeNotifier } from '../../ports/change-notifier.js';
import { currentProject } from '../access/request-context.js';
import { openEventStream } from '../sdk-delivery/event-stream.js';
import { ProjectStreamHub } from './project-stream-hub.js';

export interface ChangeStreamOptions {
  notifier: ChangeNotifier;
  /** Heartbeat comments (default 15 s; tests shorten it). */
  heartbeatMs?: number | undefined;
}

const StreamParams = z.object({ projectKey: z.string().min(1).max(100) });

export const changeStreamRoutes: FastifyPluginAsyncZod<ChangeStreamOptions> = async (
  app,
  { notifier, heartbeatMs = 15_000 },
) => {
  const hub = new ProjectStreamHub(notifier);
  // Open streams would hold app.close() forever: end them first, clients reconnect elsewhere.
  app.addHook('preClose', async () => hub.closeAll());

  app.get(
    '/projects/:projectKey/changes/stream',
    {
      config: { access: { scope: 'project', permission: 'read' } },
      schema: {
        tags: ['projects'],
        summary: "Server-Sent Events: the project's changes as they happen (live updates)",
        description:
          'Events: `event: change`, `id: <change id>`, `data: {"resourceType","resourceKey","action","at"}` after every change to the project and every new analysis result (`resourceType: results`, `resourceKey: <experiment>`); heartbeat comments every 15 s. Changes are not replayed: a reconnect with `Last-Event-ID`, or an interruption of the fan-out between nodes, gets one `event: resync`, after which the client re-reads what it shows.',
        params: StreamParams,
      },
    },
    async (request, reply) => {
      const project = currentProject(request);
      const principal = request.principal;
      const stream = openEventStream(reply, { heartbeatMs, retryMs: 2_000 });
      const unsubscribe = hub.subscribe({
        holder: {
          projectId: project.id,
          ...(principal?.type === 'api_key' && { keyId: principal.keyId }),
          ...(principal?.type === 'user' && { userId: principal.userId }),
        },
        onChange: ({ id, resourceType, resourceKey, action, at }) =>
          stream.send({
            event: 'change',
            id,
            data: JSON.stringify({ resourceType, resourceKey, action, at }),
          }),
        onResync: () => stream.send({ event: 'resync', data: '{}' }),
        close: () => stream.close(),
      });
      stream.onClose(unsubscribe);
      if (request.headers['last-event-id'] !== undefined) stream.send({ event: 'resync', data: '{}' });
    },
  );
};
