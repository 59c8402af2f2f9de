/**
 * @module features/sdk-delivery/plugin
 * SDK delivery as one plugin: config and stream routes under `/api/v1`, OFREP under `/ofrep/v1`,
 * sharing one stream hub (one subscription to config changes and revocations for every open
 * stream).
 */
import type { FastifyInstance } from 'fastify';
import type { Counter, Gauge } from 'prom-client';
import type { ChangeNotifier } from '../../ports/change-notifier.js';
import type { AssignmentSink } from './assignment-sink.js';
import type { SdkConfigService } from './config-service.js';
import { EvaluationCounter } from './evaluation-counter.js';
import type { EvaluationUsage } from './evaluation-usage.js';
import { ofrepRoutes } from './ofrep-routes.js';
import { sdkRoutes } from './routes.js';
import { StreamHub } from './stream-hub.js';

export interface SdkDeliveryOptions {
  configs: SdkConfigService;
  notifier: ChangeNotifier;
  /** SSE heartbeat interval (tests shorten it). */
  heartbeatMs?: number | undefined;
  /** Whether the key an open stream was opened with still stands (the api-keys feature answers). */
  keyStillActive: (holder: { projectId: string; environmentId: string; keyId: string }) => Promise<boolean>;
  /** How often open streams re-check their key (default 5 s). */
  streamRecheckMs?: number | undefined;
  /** `cleave_flag_evaluations_total`: server-side evaluations, counted with bounded labels. */
  flagEvaluations: Counter<'project' | 'flag' | 'reason'>;
  /** `cleave_sse_connections`: this plugin's streams are `stream="sdk"`. */
  sseConnections?: Gauge<'stream'> | undefined;
  /** Records exposures of the experiment assignments remote evaluation makes. */
  assignments?: AssignmentSink | undefined;
  /** Told which flags were evaluated where (stale-flag clean-up). */
  usage?: EvaluationUsage | undefined;
}

export async function sdkDeliveryPlugin(app: FastifyInstance, options: SdkDeliveryOptions): Promise<void> {
  const hub = new StreamHub(options.notifier, {
    // Streams are opened with keys; one without (none today) has nothing to re-check here.
    stillHolds: (holder) =>
      holder.keyId === undefined
        ? Promise.resolve(true)
        : options.keyStillActive({ ...holder, keyId: holder.keyId }),
    ...(options.streamRecheckMs !== undefined && { recheckMs: options.streamRecheckMs }),
    onRecheckError: (error) => app.log.warn({ err: error }, 'could not re-check the access of open streams'),
    onOpenStreamsChanged: (open) => options.sseConnections?.set({ stream: 'sdk' }, open),
  });
  options.sseConnections?.set({ stream: 'sdk' }, 0);
  const evaluations = new EvaluationCounter(options.flagEvaluations);
  const shared = {
    configs: options.configs,
    hub,
    evaluations,
    heartbeatMs: options.heartbeatMs,
    ...(options.assignments && { assignments: options.assignments }),
    ...(options.usage && { usage: options.usage }),
  };
  const { usage } = options;
  if (usage) {
    usage.onFlushError((error) =>
      app.log.warn({ err: error }, 'could not record which flags were evaluated'),
    );
    app.addHook('onClose', () => usage.flush());
  }
  await app.register(sdkRoutes, { prefix: '/api/v1', ...shared });
  await app.register(ofrepRoutes, { prefix: '/ofrep/v1', ...shared });
  // Open streams would hold app.close() forever; end them first, clients reconnect elsewhere.
  app.addHook('preClose', async () => hub.closeAll());
}
