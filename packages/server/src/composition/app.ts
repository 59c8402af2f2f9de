/**
 * @module composition/app
 * `buildApp(dependencies)` assembles the HTTP application: the HTTP plumbing every route shares
 * (request ids, the JSON body parser, validation, one error shape), authentication, health and
 * metrics, then each feature's routes as a plugin. It never listens and never reads the
 * environment: `server.ts` picks the adapters, tests hand in their own.
 */
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { serializerCompiler } from 'fastify-type-provider-zod';
import { memoryRateCounter } from '../adapters/memory/rate-counter.js';
import { authPluginRegistration } from '../features/access/plugin.js';
import { registerApiDocs } from '../features/api-docs/routes.js';
import { metricsRoute } from '../features/health/metrics-route.js';
import type { DependencyCheck } from '../features/health/readiness.js';
import { healthRoutes } from '../features/health/routes.js';
import { registerSdkCors } from '../features/sdk-delivery/cors.js';
import { registerWebUi, sendUiPage, wantsUiPage } from '../features/web-ui/routes.js';
import { clientErrorHandler } from '../http/client-error.js';
import { sendError, sendNotFound } from '../http/errors.js';
import { registerJsonBodyParser } from '../http/json-body-parser.js';
import { registerUrlGuard } from '../http/nul-in-url-guard.js';
import { rateLimitStoreOver } from '../http/rate-limit-store.js';
import { REQUEST_ID_HEADER, requestIdFor } from '../http/request-id.js';
import { OneLinePerRequest } from '../http/request-logging.js';
import { registerRequestSpanNames, tracedServerFactory } from '../http/request-tracing.js';
import { registerSecurityHeaders } from '../http/security-headers.js';
import { strictBodyValidatorCompiler } from '../http/strict-body-validator.js';
import type { RateCounter } from '../ports/rate-counter.js';
import { withRedactedRequests } from '../runtime/logger.js';
import type { Telemetry } from '../runtime/telemetry.js';
import { CLEAVE_VERSION } from '../runtime/version.js';
import type { FeatureRoutes } from './routes.js';
import type { Services } from './services.js';

/**
 * Security headers on every answer (helmet), with a strict Content-Security-Policy for the UI and
 * the API docs: only this origin's scripts (the UI is built to external modules, Swagger UI loads
 * its own files), inline styles (Mantine and Swagger UI set them), images and fonts from this
 * origin or data URLs, no plugins, no framing. Cross-Origin-Resource-Policy is left out: SDK
 * endpoints are read by other origins, and CORS already decides who may.
 */
const SECURITY_HEADERS = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      baseUri: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      fontSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      frameAncestors: ["'none'"],
      formAction: ["'self'"],
    },
  },
  crossOriginResourcePolicy: false,
  crossOriginEmbedderPolicy: false,
} as const;

export interface AppDependencies {
  logger: FastifyBaseLogger | false;
  /** Everything `/readyz` must find reachable. */
  dependencies: readonly DependencyCheck[];
  /** Authentication needs the auth service and the project directory. */
  services: Pick<Services, 'auth' | 'projects'>;
  /** Each feature's routes under `/api/v1`, and those with prefixes of their own (OFREP); none: health only. */
  routes?: { api: readonly FeatureRoutes[]; root: readonly FeatureRoutes[] };
  /** Directory of the built UI; the UI is skipped when it has not been built. */
  webRoot?: string;
  /** Body size limit for JSON requests, in bytes. */
  bodyLimit?: number;
  /** Trust X-Forwarded-* from a proxy in front (so `Secure` cookies and client IPs are right). */
  trustProxy?: boolean;
  telemetry: Telemetry;
  /** A worker-only process serves health and metrics, not the API. */
  serveApi?: boolean;
  /**
   * Where per-route limits (sign-in) count: the counter shared by every API node, falling back to
   * in-process counts while it fails; a fresh in-process one when absent.
   */
  rateCounter?: RateCounter;
  /** A span per request (OpenTelemetry tracing is on); only for a listening server, not `inject`. */
  tracing?: boolean;
  /** Log successful SDK reads (config, stream, evaluation, OFREP) too; default false. */
  logSdkReads?: boolean;
}

export interface CleaveApp {
  app: FastifyInstance;
  /** Flips readiness to 503 so load balancers drain this node before it closes. */
  beginShutdown(): void;
}

export async function buildApp(dependencies: AppDependencies): Promise<CleaveApp> {
  let shuttingDown = false;
  const app = Fastify({
    ...(dependencies.logger
      ? { loggerInstance: withRedactedRequests(dependencies.logger) }
      : { logger: false }),
    genReqId: requestIdFor,
    requestIdHeader: false,
    logController: new OneLinePerRequest({
      requestIdLogLabel: 'requestId',
      logSdkReads: dependencies.logSdkReads ?? false,
    }),
    bodyLimit: dependencies.bodyLimit ?? 1_048_576,
    trustProxy: dependencies.trustProxy ?? false,
    return503OnClosing: true,
    ...(dependencies.tracing && { serverFactory: tracedServerFactory }),
    // Errors raised before routing (a URL that does not decode, a parameter over the length limit)
    // get the same body as every other error, not Fastify's own.
    frameworkErrors: (error, request, reply) => {
      reply.header(REQUEST_ID_HEADER, request.id);
      sendError(error, request, reply);
    },
    // …and so do requests Node's HTTP parser refuses (a URL over the header size limit).
    clientErrorHandler,
  }) as FastifyInstance;

  registerJsonBodyParser(app);
  app.setValidatorCompiler(strictBodyValidatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(sendError);
  app.addHook('onRequest', async (request, reply) => {
    reply.header(REQUEST_ID_HEADER, request.id);
  });
  registerUrlGuard(app);
  if (dependencies.tracing) registerRequestSpanNames(app);

  const { services } = dependencies;
  await app.register(cookie);
  await registerSecurityHeaders(app, SECURITY_HEADERS);
  await registerSdkCors(app);
  // Per-route limits only (sign-in); preHandler so the key can include the parsed body's email.
  await app.register(rateLimit, {
    global: false,
    hook: 'preHandler',
    // Counted like every other budget (see http/rate-limit-store): shared through Redis when there is
    // one, per node while it fails, so the limits never lapse. No `skipOnError`: a counter that
    // fails anyway answers 503 rather than letting the request through unlimited.
    store: rateLimitStoreOver(dependencies.rateCounter ?? memoryRateCounter()),
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
      for (const register of dependencies.routes?.api ?? []) await register(api);
    },
    { prefix: '/api/v1' },
  );
  for (const register of dependencies.routes?.root ?? []) await register(app);

  const hasUi = dependencies.webRoot ? await registerWebUi(app, dependencies.webRoot) : false;
  app.setNotFoundHandler((request, reply) => {
    if (hasUi && wantsUiPage(request)) return sendUiPage(reply);
    return sendNotFound(request, reply);
  });
  return cleaveApp;
}
