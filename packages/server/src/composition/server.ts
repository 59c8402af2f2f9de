/**
 * @module composition/server
 * Starts Cleave from a `Config`: connects the adapters the config names, builds the services and
 * the app, listens, starts the worker role's jobs, and knows how to stop all of it in order.
 * `main.ts` wires it to the process.
 */
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { Scheduler } from '../adapters/memory/scheduler.js';
import { observeConnectionPools } from '../adapters/sql/pool-metrics.js';
import { measuredJobHandler } from '../features/analysis/job-metrics.js';
import { newSetupCode } from '../features/auth/setup-code.js';
import { EventWriter } from '../features/events/event-writer.js';
import { ExposureRecorder } from '../features/events/exposure-recorder.js';
import { RetentionJob } from '../features/events/retention-job.js';
import { WebhookDeliveryWorker } from '../features/webhooks/delivery-worker.js';
import { deliveryQueueOn } from '../features/webhooks/outbox.js';
import type { Config } from '../runtime/config.js';
import { createTelemetry } from '../runtime/telemetry.js';
import { connectAdapters } from './adapters.js';
import { buildApp } from './app.js';
import { bootstrap } from './bootstrap.js';
import { createDemo } from './demo.js';
import { apiRoutes, eventIngestion, rootRoutes } from './routes.js';
import { createServices } from './services.js';

export { StartupError } from './adapters.js';

export interface RunningServer {
  /** The address clients use, e.g. http://localhost:8080. */
  url: string;
  /** The generated setup code while the instance waits for its first account (already logged). */
  setupCode: string | undefined;
  /** Stops accepting connections, drains in-flight requests, then closes every adapter. */
  stop(): Promise<void>;
}

const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../../../web/dist/', import.meta.url));
const HOUR_MS = 60 * 60 * 1000;

export async function startServer(config: Config, logger: Logger): Promise<RunningServer> {
  // Closed in reverse order of opening: workers and the HTTP server before the stores they use.
  const closers: Array<() => Promise<void>> = [];
  const closeAll = async () => {
    for (const close of closers.reverse()) {
      await close().catch((error) => logger.error({ err: error }, 'close failed'));
    }
  };
  try {
    const telemetry = createTelemetry();
    const adapters = await connectAdapters(config, logger, closers, telemetry);
    observeConnectionPools(telemetry.registry, [
      { name: 'primary', database: adapters.database },
      ...(adapters.analysisDatabase !== adapters.database
        ? [{ name: 'read', database: adapters.analysisDatabase }]
        : []),
    ]);
    const setupCode = config.setupCode ?? newSetupCode();
    const services = createServices(adapters.database, {
      notifier: adapters.notifier,
      jobQueue: adapters.jobQueue,
      analysisQueries: adapters.analysisQueries,
      setupCode,
      webhookNetwork: config.webhooks,
      ...(adapters.payloadCache && { payloadCache: adapters.payloadCache }),
    });
    const provisioned = await bootstrap(services, config.init);
    if (Object.values(provisioned).some(Boolean))
      logger.info({ provisioned }, 'first-start provisioning applied');
    const demo = createDemo(adapters.database, services, adapters.eventStore, config.dataDirectory);
    const demoStartedAt = Date.now();
    const seededDemo = config.demo ? await demo.seedIfEmpty() : undefined;

    const events = eventIngestion(adapters.eventLog, telemetry, {
      settings: {
        perKeyPerMinute: config.events.perKeyPerMinute,
        perClientPerMinute: config.events.perClientPerMinute,
      },
      counter: adapters.rateCounter,
    });
    const exposures = new ExposureRecorder(events.ingestion, {
      onError: (error) => logger.warn({ err: error }, 'recording remote-evaluation exposures failed'),
    });
    // Flushed after the HTTP server closed (closers run in reverse), before the event log closes.
    closers.push(() => exposures.flush());
    const settings = {
      signInAttemptsPerMinute: 10,
      flagEvaluations: telemetry.flagEvaluations,
      sseConnections: telemetry.sseConnections,
      signInFailuresPerAddress: config.signInFailuresPerAddress,
      rateCounter: adapters.rateCounter,
      events,
      assignments: exposures,
      demo,
      uiAnalyticsKey: config.uiAnalyticsKey,
    };
    const { app, beginShutdown } = await buildApp({
      logger,
      dependencies: adapters.checks,
      services,
      routes: { api: apiRoutes(services, settings), root: rootRoutes(services, settings) },
      telemetry,
      webRoot: DEFAULT_WEB_ROOT,
      trustProxy: config.trustProxy,
      logSdkReads: config.logSdkReads,
      serveApi: config.roles.api,
      tracing: config.tracing !== undefined,
      rateCounter: adapters.rateCounter,
    });
    closers.push(() => app.close());
    await app.listen({ port: config.port, host: config.host });

    if (config.roles.worker) {
      const webhookWorker = new WebhookDeliveryWorker({
        webhooks: deliveryQueueOn(adapters.database.db),
        notifier: adapters.notifier,
        logger,
        network: config.webhooks,
      });
      webhookWorker.start();
      closers.push(() => webhookWorker.stop());
      if (adapters.eventSource) {
        const writer = new EventWriter({
          source: adapters.eventSource,
          store: adapters.eventStore,
          existingProjectsOnly: adapters.eventStore,
          logger,
          telemetry,
        });
        writer.start();
        closers.push(() => writer.stop());
      }
      const scheduler = new Scheduler(logger);
      const retention = new RetentionJob(
        adapters.eventStore,
        config.events.retentionDays,
        logger,
        undefined,
        [adapters.analysisQueries],
      );
      scheduler.start({ name: 'event retention', everyMs: HOUR_MS, run: () => retention.apply() });
      scheduler.start({
        name: 'expired sessions',
        everyMs: HOUR_MS,
        run: () => services.auth.deleteExpiredSessions(new Date().toISOString()),
      });
      scheduler.start({
        name: 'analysis refresh',
        everyMs: 60 * 1000,
        run: () => services.analysis.refreshDue(),
      });
      closers.push(() => scheduler.stop());
    }
    // Without Redis the queue lives in this process, so this process runs its jobs whatever its role.
    if (config.roles.worker || !config.redisUrl) {
      adapters.jobQueue.process(
        measuredJobHandler((job, attempt) => services.analysis.runJob(job, attempt), {
          jobSeconds: telemetry.analysisJobSeconds,
          jobFailures: telemetry.analysisJobFailures,
        }),
      );
    }
    if (seededDemo) {
      // Results exist before anyone is told where to look.
      await demo.analysed(seededDemo);
      logger.info(
        { project: seededDemo.project.key, events: seededDemo.events, ms: Date.now() - demoStartedAt },
        `seeded the demo project "${seededDemo.project.name}" (CLEAVE_DEMO=off to skip)`,
      );
    }

    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const shownHost = ['0.0.0.0', '::', '127.0.0.1', '::1'].includes(config.host) ? 'localhost' : config.host;
    const url = `http://${shownHost}:${port}`;
    // Provisioned instances (CLEAVE_INIT_ADMIN_*) have their owner already and never show a code.
    const awaitingOwner = config.roles.api && (await services.auth.needsFirstUser());
    if (awaitingOwner) {
      logger.warn(
        config.setupCode
          ? { signUp: `${url}/api/v1/auth/signup` }
          : { signUp: `${url}/api/v1/auth/signup`, setupCode },
        config.setupCode
          ? 'No account exists yet: the first sign-up must present the setup code set in CLEAVE_SETUP_CODE'
          : `No account exists yet: the first sign-up must present the setup code ${setupCode} (a new one on every start)`,
      );
    }
    return {
      url,
      setupCode: awaitingOwner && !config.setupCode ? setupCode : undefined,
      async stop() {
        beginShutdown();
        await closeAll();
      },
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
