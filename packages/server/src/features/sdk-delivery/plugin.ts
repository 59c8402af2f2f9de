/**
 * @module features/sdk-delivery/plugin
 * SDK delivery as one plugin: config and stream routes under `/api/v1`, OFREP under `/ofrep/v1`,
 * sharing one stream hub (one subscription to config changes for every open stream).
 */
import type { FastifyInstance } from 'fastify';
import type { ChangeNotifier } from '../../ports/change-notifier.js';
import type { AssignmentSink } from './assignment-sink.js';
import type { SdkConfigService } from './config-service.js';
import { ofrepRoutes } from './ofrep-routes.js';
import { sdkRoutes } from './routes.js';
import { StreamHub } from './stream-hub.js';

export interface SdkDeliveryOptions {
  configs: SdkConfigService;
  notifier: ChangeNotifier;
  /** SSE heartbeat interval (tests shorten it). */
  heartbeatMs?: number | undefined;
  /** Records exposures of the experiment assignments remote evaluation makes. */
  assignments?: AssignmentSink | undefined;
}

export async function sdkDeliveryPlugin(app: FastifyInstance, options: SdkDeliveryOptions): Promise<void> {
  const hub = new StreamHub(options.notifier);
  const shared = {
    configs: options.configs,
    hub,
    heartbeatMs: options.heartbeatMs,
    ...(options.assignments && { assignments: options.assignments }),
  };
  await app.register(sdkRoutes, { prefix: '/api/v1', ...shared });
  await app.register(ofrepRoutes, { prefix: '/ofrep/v1', ...shared });
  // Open streams would hold app.close() forever; end them first, clients reconnect elsewhere.
  app.addHook('preClose', async () => hub.closeAll());
}
