/**
 * @module features/web-ui/config-routes
 * `GET /api/v1/ui-config`: what the web UI needs to know about this instance before anyone signs
 * in. Today: whether it reports its own usage (page views, key actions) through the SDK, and with
 * which sdk key (public by nature: sdk keys are read-only and made to ship to browsers). Served as
 * JSON rather than injected into `index.html`, so the Content-Security-Policy keeps refusing inline
 * scripts.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';

const UiConfigResponse = z.object({
  analytics: z
    .object({
      sdkKey: z.string().describe("The sdk key of the project and environment that receive the UI's events"),
    })
    .nullable()
    .describe('Usage analytics of the UI (CLEAVE_UI_ANALYTICS_KEY); null: off'),
});

export const uiConfigRoutes: FastifyPluginAsyncZod<{ analyticsKey: string | undefined }> = async (
  app,
  { analyticsKey },
) => {
  app.get(
    '/ui-config',
    {
      config: { access: { scope: 'public' } },
      schema: {
        tags: ['ui'],
        summary: "The web UI's settings for this instance (usage analytics on or off)",
        response: { 200: UiConfigResponse },
      },
    },
    async (_request, reply) => {
      reply.header('cache-control', 'no-cache');
      return { analytics: analyticsKey === undefined ? null : { sdkKey: analyticsKey } };
    },
  );
};
