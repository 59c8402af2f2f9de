/**
 * @module app
 * `buildApp(dependencies)` assembles the HTTP application from ready-made parts. It never listens
 * and never reads the environment: `main.ts` decides the adapters, tests hand in their own.
 */
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import { serializerCompiler } from 'fastify-type-provider-zod';
import type { Redis } from 'ioredis';
import { authPluginRegistration } from '../features/access/plugin.js';
import { analysisRoutes } from '../features/analysis/routes.js';
import { registerApiDocs } from '../features/api-docs/routes.js';
import { apiKeyRoutes } from '../features/api-keys/routes.js';
import { auditRoutes } from '../features/audit/routes.js';
import { authRoutes } from '../features/auth/routes.js';
import { definitionRoutes } from '../features/definitions/routes.js';
import type { Named } from '../features/definitions/service.js';
import { type EventRoutesOptions, eventRoutes } from '../features/events/routes.js';
import { experimentRoutes } from '../features/experiments/routes.js';
import { flagRoutes } from '../features/flags/routes.js';
import { metricsRoute } from '../features/health/metrics-route.js';
import type { DependencyCheck } from '../features/health/readiness.js';
import { healthRoutes } from '../features/health/routes.js';
import { CreateHoldoutBody, HoldoutResponse, PatchHoldoutBody } from '../features/holdouts/schemas.js';
import { CreateLayerBody, LayerResponse, PatchLayerBody } from '../features/layers/schemas.js';
import { memberRoutes } from '../features/members/routes.js';
import { CreateMetricBody, MetricResponse, PatchMetricBody } from '../features/metrics/schemas.js';
import { projectRoutes } from '../features/projects/routes.js';
import type { AssignmentSink } from '../features/sdk-delivery/assignment-sink.js';
import { registerSdkCors } from '../features/sdk-delivery/cors.js';
import { ofrepRoutes } from '../features/sdk-delivery/ofrep-routes.js';
import { sdkRoutes } from '../features/sdk-delivery/routes.js';
import { StreamHub } from '../features/sdk-delivery/stream-hub.js';
import { CreateSegmentBody, PatchSegmentBody, SegmentResponse } from '../features/segments/schemas.js';
import { statsRoutes } from '../features/stats/routes.js';
import { registerWebUi, sendUiPage, wantsUiPage } from '../features/web-ui/routes.js';
import { webhookRoutes } from '../features/webhooks/routes.js';
import { sendError, sendNotFound } from '../http/errors.js';
import { registerJsonBodyParser } from '../http/json-body-parser.js';
import { registerUrlGuard } from '../http/nul-in-url-guard.js';
import { REQUEST_ID_HEADER, requestIdFor } from '../http/request-id.js';
import { strictBodyValidatorCompiler } from '../http/strict-body-validator.js';
import type { Telemetry } from '../runtime/telemetry.js';
import { CLEAVE_VERSION } from '../runtime/version.js';
import type { Services } from './features.js';

export interface AppDependencies {
  logger: FastifyBaseLogger | false;
  /** Everything `/readyz` must find reachable. */
  dependencies: readonly DependencyCheck[];
  services: Services;
  /** Directory of the built UI; the UI is skipped when it has not been built. */
  webRoot?: string;
  /** Body size limit for JSON requests, in bytes. */
  bodyLimit?: number;
  /** Trust X-Forwarded-* from a proxy in front (so `Secure` cookies and client IPs are right). */
  trustProxy?: boolean;
  signInAttemptsPerMinute?: number;
  /** SSE heartbeat interval (tests shorten it). */
  heartbeatMs?: number;
  telemetry: Telemetry;
  /** Event ingestion; absent in a worker-only process. */
  events?: Omit<EventRoutesOptions, 'maxEventsPerBatch' | 'maxBodyBytes'> & Partial<EventRoutesOptions>;
  /** Records exposures of the experiment assignments remote evaluation makes. */
  assignments?: AssignmentSink;
  /** A worker-only process serves health and metrics, not the API. */
  serveApi?: boolean;
  /** Shared store for rate limits; in-process when absent. */
  rateLimitRedis?: Redis;
}

export interface CleaveApp {
  app: FastifyInstance;
  /** Flips readiness to 503 so load balancers drain this node before it closes. */
  beginShutdown(): void;
}

export async function buildApp(dependencies: AppDependencies): Promise<CleaveApp> {
  let shuttingDown = false;
  const app = Fastify({
    ...(dependencies.logger ? { loggerInstance: dependencies.logger } : { logger: false }),
    genReqId: requestIdFor,
    requestIdHeader: false,
    logController: new LogController({ requestIdLogLabel: 'requestId' }),
    bodyLimit: dependencies.bodyLimit ?? 1_048_576,
    trustProxy: dependencies.trustProxy ?? false,
    return503OnClosing: true,
    // Errors raised before routing (a URL that does not decode, a parameter over the length limit)
    // get the same body as every other error, not Fastify's own.
    frameworkErrors: (error, request, reply) => {
      reply.header(REQUEST_ID_HEADER, request.id);
      sendError(error, request, reply);
    },
  }) as FastifyInstance;

  registerJsonBodyParser(app);
  app.setValidatorCompiler(strictBodyValidatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(sendError);
  app.addHook('onRequest', async (request, reply) => {
    reply.header(REQUEST_ID_HEADER, request.id);
  });
  registerUrlGuard(app);

  const { services } = dependencies;
  await app.register(cookie);
  await registerSdkCors(app);
  // Per-route limits only (sign-in); preHandler so the key can include the parsed body's email.
  await app.register(rateLimit, {
    global: false,
    hook: 'preHandler',
    // With Redis the limits hold across every API node, not per node.
    ...(dependencies.rateLimitRedis && {
      redis: dependencies.rateLimitRedis,
      nameSpace: 'cleave:rate-limit:',
    }),
  });
  await app.register(authPluginRegistration, { auth: services.auth, projects: services.projects });
  await registerApiDocs(app, CLEAVE_VERSION);

  await app.register(healthRoutes, {
    dependencies: dependencies.dependencies,
    isShuttingDown: () => shuttingDown,
  });
  await app.register(metricsRoute, { registry: dependencies.telemetry.registry });
  app.addHook('onResponse', async (request, reply) => {
    dependencies.telemetry.httpRequestSeconds.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
  });
  const cleaveApp: CleaveApp = {
    app,
    beginShutdown() {
      shuttingDown = true;
    },
  };
  if (dependencies.serveApi === false) {
    app.setNotFoundHandler(sendNotFound);
    return cleaveApp;
  }
  await app.register(
    async (api) => {
      await api.register(authRoutes, {
        auth: services.auth,
        signInAttemptsPerMinute: dependencies.signInAttemptsPerMinute ?? 10,
      });
      await api.register(projectRoutes, { projects: services.projects });
      await api.register(apiKeyRoutes, { apiKeys: services.apiKeys });
      await api.register(memberRoutes, { members: services.members });
      await api.register(auditRoutes, { audit: services.context.stores.audit });
      if (dependencies.events) {
        await api.register(eventRoutes, {
          maxEventsPerBatch: 1_000,
          maxBodyBytes: 5 * 1024 * 1024,
          ...dependencies.events,
        });
      }
      await api.register(flagRoutes, { flags: services.flags });
      await api.register(experimentRoutes, { experiments: services.experiments });
      await api.register(analysisRoutes, { analysis: services.analysis });
      await api.register(statsRoutes);
      // Definitions with nothing beyond the shared routes: one table, one loop.
      const plainDefinitions = [
        {
          service: services.segments,
          path: 'segments',
          noun: 'segment',
          createBody: CreateSegmentBody,
          patchBody: PatchSegmentBody,
          response: SegmentResponse,
        },
        {
          service: services.layers,
          path: 'layers',
          noun: 'layer',
          createBody: CreateLayerBody,
          patchBody: PatchLayerBody,
          response: LayerResponse,
        },
        {
          service: services.holdouts,
          path: 'holdouts',
          noun: 'holdout',
          createBody: CreateHoldoutBody,
          patchBody: PatchHoldoutBody,
          response: HoldoutResponse,
        },
        {
          service: services.metrics,
          path: 'metrics',
          noun: 'metric',
          createBody: CreateMetricBody,
          patchBody: PatchMetricBody,
          response: MetricResponse,
        },
      ] as const;
      for (const options of plainDefinitions) await api.register(definitionRoutes<Named>(options));
      await api.register(webhookRoutes, { webhooks: services.webhooks });
    },
    { prefix: '/api/v1' },
  );

  const hub = new StreamHub(services.context.notifier);
  await app.register(sdkRoutes, {
    prefix: '/api/v1',
    configs: services.sdkConfigs,
    hub,
    heartbeatMs: dependencies.heartbeatMs,
    ...(dependencies.assignments && { assignments: dependencies.assignments }),
  });
  await app.register(ofrepRoutes, {
    prefix: '/ofrep/v1',
    configs: services.sdkConfigs,
    hub,
    heartbeatMs: dependencies.heartbeatMs,
    ...(dependencies.assignments && { assignments: dependencies.assignments }),
  });
  // Open streams would hold app.close() forever; end them first, clients reconnect elsewhere.
  app.addHook('preClose', async () => hub.closeAll());

  const hasUi = dependencies.webRoot ? await registerWebUi(app, dependencies.webRoot) : false;
  app.setNotFoundHandler((request, reply) => {
    if (hasUi && wantsUiPage(request)) return sendUiPage(reply);
    return sendNotFound(request, reply);
  });
  return cleaveApp;
}
