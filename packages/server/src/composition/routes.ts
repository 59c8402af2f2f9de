/**
 * @module composition/routes
 * Which features this process serves over HTTP, each registered as a Fastify plugin with the
 * service it needs. The management API lives under `/api/v1`; SDK delivery adds `/ofrep/v1`.
 */
import type { FastifyInstance } from 'fastify';
import { overviewRoutes } from '../features/analysis/overview-routes.js';
import { analysisRoutes } from '../features/analysis/routes.js';
import { apiKeyRoutes } from '../features/api-keys/routes.js';
import { auditRoutes } from '../features/audit/routes.js';
import { authRoutes } from '../features/auth/routes.js';
import { DEFAULT_SIGN_IN_THROTTLE, SignInThrottle } from '../features/auth/sign-in-throttle.js';
import { demoRoutes } from '../features/demo/routes.js';
import type { DemoService } from '../features/demo/service.js';
import { EventBudget, type EventBudgetSettings } from '../features/events/event-budget.js';
import { DEFAULT_EVENT_LIMITS } from '../features/events/event-validation.js';
import { type EventRoutesOptions, eventRoutes, MAX_EVENTS_PER_BATCH } from '../features/events/routes.js';
import { IngestionService } from '../features/events/service.js';
import { experimentRoutes } from '../features/experiments/routes.js';
import { flagRoutes } from '../features/flags/routes.js';
import { holdoutRoutes } from '../features/holdouts/routes.js';
import { layerRoutes } from '../features/layers/routes.js';
import { changeStreamRoutes } from '../features/live-updates/routes.js';
import { memberRoutes } from '../features/members/routes.js';
import { metricRoutes } from '../features/metrics/routes.js';
import { projectRoutes } from '../features/projects/routes.js';
import type { AssignmentSink } from '../features/sdk-delivery/assignment-sink.js';
import { sdkDeliveryPlugin } from '../features/sdk-delivery/plugin.js';
import { segmentRoutes } from '../features/segments/routes.js';
import { statsRoutes } from '../features/stats/routes.js';
import { uiConfigRoutes } from '../features/web-ui/config-routes.js';
import { webhookRoutes } from '../features/webhooks/routes.js';
import { redactWebhook } from '../features/webhooks/url-redaction.js';
import type { EventLog } from '../ports/event-log.js';
import type { RateCounter } from '../ports/rate-counter.js';
import type { Telemetry } from '../runtime/telemetry.js';
import type { Services } from './services.js';

/** Registers one feature's routes on the app (already inside the API's prefix where it has one). */
export type FeatureRoutes = (app: FastifyInstance) => PromiseLike<unknown>;

export interface RouteSettings {
  signInAttemptsPerMinute: number;
  /** Failed sign-ins per address across emails before back-off (default 20). */
  signInFailuresPerAddress?: number | undefined;
  /** Counters for sign-in back-off (and event budgets, see `eventIngestion`), shared by API nodes. */
  rateCounter: RateCounter;
  /** Event ingestion; absent in a process that does not ingest. */
  events?: EventRoutesOptions | undefined;
  heartbeatMs?: number | undefined;
  /** Where server-side flag evaluations are counted. */
  flagEvaluations: Telemetry['flagEvaluations'];
  sseConnections?: Telemetry['sseConnections'];
  /** Records exposures of the experiment assignments remote evaluation makes. */
  assignments?: AssignmentSink | undefined;
  /** How often open streams re-check their key (default 5 s; tests shorten it). */
  streamRecheckMs?: number | undefined;
  /** The demo project (find and remove it); absent in apps that never have one. */
  demo?: DemoService | undefined;
  /** The sdk key the web UI reports its own usage with (CLEAVE_UI_ANALYTICS_KEY); absent: off. */
  uiAnalyticsKey?: string | undefined;
}

/** The management API's features, registered under `/api/v1`. */
export function apiRoutes(services: Services, settings: RouteSettings): FeatureRoutes[] {
  return [
    (api) =>
      api.register(authRoutes, {
        auth: services.auth,
        signInAttemptsPerMinute: settings.signInAttemptsPerMinute,
        throttle: new SignInThrottle(settings.rateCounter, {
          ...DEFAULT_SIGN_IN_THROTTLE,
          ...(settings.signInFailuresPerAddress !== undefined && {
            freeFailures: settings.signInFailuresPerAddress,
          }),
        }),
      }),
    (api) => api.register(projectRoutes, { projects: services.projects }),
    (api) => api.register(apiKeyRoutes, { apiKeys: services.apiKeys }),
    (api) => api.register(memberRoutes, { members: services.members }),
    (api) => api.register(auditRoutes, { audit: services.audit, redactions: { webhook: redactWebhook } }),
    ...(settings.events
      ? [(api: FastifyInstance) => api.register(eventRoutes, settings.events as EventRoutesOptions)]
      : []),
    (api) =>
      api.register(flagRoutes, {
        flags: services.flags,
        explainer: services.sdkConfigs,
        usage: services.flagUsage,
      }),
    (api) => api.register(experimentRoutes, { experiments: services.experiments }),
    (api) => api.register(analysisRoutes, { analysis: services.analysis }),
    (api) => api.register(overviewRoutes, { overview: services.overview }),
    (api) => api.register(statsRoutes),
    (api) => api.register(segmentRoutes, { segments: services.segments }),
    (api) => api.register(layerRoutes, { layers: services.layers }),
    (api) => api.register(holdoutRoutes, { holdouts: services.holdouts }),
    (api) => api.register(metricRoutes, { metrics: services.metrics }),
    (api) => api.register(webhookRoutes, { webhooks: services.webhooks }),
    (api) =>
      api.register(changeStreamRoutes, { notifier: services.notifier, heartbeatMs: settings.heartbeatMs }),
    (api) => api.register(uiConfigRoutes, { analyticsKey: settings.uiAnalyticsKey }),
    ...(settings.demo
      ? [(api: FastifyInstance) => api.register(demoRoutes, { demo: settings.demo as DemoService })]
      : []),
  ];
}

/** Features with prefixes of their own, registered at the root. */
export function rootRoutes(services: Services, settings: RouteSettings): FeatureRoutes[] {
  return [
    (app) =>
      app.register(sdkDeliveryPlugin, {
        configs: services.sdkConfigs,
        notifier: services.notifier,
        heartbeatMs: settings.heartbeatMs,
        flagEvaluations: settings.flagEvaluations,
        sseConnections: settings.sseConnections,
        assignments: settings.assignments,
        usage: services.flagUsage,
        keyStillActive: ({ projectId, keyId, environmentId }) =>
          services.apiKeys.isActive(projectId, keyId, environmentId),
        streamRecheckMs: settings.streamRecheckMs,
      }),
  ];
}

/** Event ingestion's routes over an event log: the server and the test app build it the same way. */
export function eventIngestion(
  eventLog: EventLog,
  telemetry: Telemetry,
  budget: { settings: EventBudgetSettings; counter: RateCounter },
): EventRoutesOptions {
  return {
    ingestion: new IngestionService(eventLog, DEFAULT_EVENT_LIMITS, telemetry),
    maxEventsPerBatch: MAX_EVENTS_PER_BATCH,
    maxBodyBytes: 5 * 1024 * 1024,
    budget: new EventBudget(budget.counter, budget.settings),
  };
}
