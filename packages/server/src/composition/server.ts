/**
 * @module server
 * Starts Cleave from a `Config`: connects the adapters the config names, migrates, builds the app,
 * listens, and knows how to stop all of it in order. `main.ts` wires it to the process.
 */
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { memoryCache } from '../adapters/memory/cache.js';
import { inProcessChangeNotifier } from '../adapters/memory/change-notifier.js';
import { MemoryJobQueue } from '../adapters/memory/job-queue.js';
import { Scheduler } from '../adapters/memory/scheduler.js';
import { connectNats } from '../adapters/nats/connect.js';
import {
  DEFAULT_EVENT_STREAM,
  ensureEventStream,
  JetStreamEventConsumer,
  JetStreamEventLog,
} from '../adapters/nats/event-log.js';
import { BullMqJobQueue } from '../adapters/redis/bullmq-job-queue.js';
import { redisCache } from '../adapters/redis/cache.js';
import { redisChangeNotifier } from '../adapters/redis/change-notifier.js';
import { connectRedis } from '../adapters/redis/connect.js';
import { connectDatabase } from '../adapters/sql/connect.js';
import { eventStoreFor } from '../adapters/sql/event-store-for.js';
import { GroupCommitEventLog } from '../adapters/sql/group-commit-event-log.js';
import { migrateToLatest } from '../adapters/sql/migrate.js';
import type { SqlDatabase } from '../adapters/sql/sql-database.js';
import { tieredCache } from '../adapters/tiered-cache.js';
import { DEFAULT_EVENT_LIMITS } from '../features/events/event-validation.js';
import { type EventSource, EventWriter } from '../features/events/event-writer.js';
import { ExposureRecorder } from '../features/events/exposure-recorder.js';
import { RetentionJob } from '../features/events/retention-job.js';
import { IngestionService } from '../features/events/service.js';
import type { DependencyCheck } from '../features/health/readiness.js';
import { WebhookDeliveryWorker } from '../features/webhooks/delivery-worker.js';
import type { Cache } from '../ports/cache.js';
import type { ChangeNotifier } from '../ports/change-notifier.js';
import type { EventLog } from '../ports/event-log.js';
import type { JobQueue } from '../ports/job-queue.js';
import type { Config } from '../runtime/config.js';
import { createTelemetry } from '../runtime/telemetry.js';
import { buildApp } from './app.js';
import { bootstrap } from './bootstrap.js';
import { createServices } from './features.js';

export interface RunningServer {
  /** The address clients use, e.g. http://localhost:8080. */
  url: string;
  /** Stops accepting connections, drains in-flight requests, then closes every adapter. */
  stop(): Promise<void>;
}

const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../../../web/dist/', import.meta.url));

/** Thrown when a configured dependency cannot be reached at start-up. */
export class StartupError extends Error {
  override name = 'StartupError';
}

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
    const database = await openDatabase(config, logger);
    closers.push(() => database.close());
    const checks: DependencyCheck[] = [
      { name: 'database', info: { dialect: database.dialect }, check: () => database.ping() },
    ];

    let notifier: ChangeNotifier = inProcessChangeNotifier();
    let payloadCache: Cache<string> | undefined;
    let rateLimitRedis: Redis | undefined;
    if (config.redisUrl) {
      const redis = await reach('Redis', config.redisUrl, () => connectRedis(config.redisUrl as string));
      rateLimitRedis = redis.client;
      closers.push(() => redis.close());
      checks.push({ name: 'redis', check: () => redis.ping() });
      const redisNotifier = await redisChangeNotifier(redis.client, (error) =>
        logger.warn({ err: error }, 'Redis change fan-out problem'),
      );
      closers.push(() => redisNotifier.close());
      notifier = redisNotifier;
      payloadCache = tieredCache(
        memoryCache<string>({ maxEntries: 1_000, ttlMs: 60 * 60 * 1000 }),
        redisCache(redis.client, { prefix: 'cleave:sdk-payload:', ttlSeconds: 60 * 60 }),
      );
    }

    const eventStore = eventStoreFor(database);
    const streamSettings = { ...DEFAULT_EVENT_STREAM, stream: config.events.natsStream };
    let eventLog: EventLog;
    let eventSource: EventSource | undefined;
    if (config.natsUrl) {
      const nats = await reach('NATS', config.natsUrl, () => connectNats(config.natsUrl as string));
      closers.push(() => nats.close());
      checks.push({ name: 'nats', check: () => nats.ping() });
      await ensureEventStream(nats.connection, streamSettings);
      eventLog = new JetStreamEventLog(nats.connection, streamSettings);
      if (config.roles.worker)
        eventSource = await JetStreamEventConsumer.open(nats.connection, streamSettings);
    } else {
      // Embedded: events commit to the store before the API answers; there is no writer.
      eventLog = new GroupCommitEventLog(eventStore);
    }
    closers.push(() => eventLog.close());

    // Analysis jobs: BullMQ shared by every worker with Redis, in-process without.
    const jobQueue: JobQueue = config.redisUrl
      ? new BullMqJobQueue({
          redisUrl: config.redisUrl,
          concurrency: config.analysis.concurrency,
          onFailure: (job, error, willRetry) =>
            logger.warn({ err: error, jobId: job.id, willRetry }, 'analysis job attempt failed'),
        })
      : new MemoryJobQueue({
          concurrency: config.analysis.concurrency,
          onFailure: (job, error, willRetry) =>
            logger.warn({ err: error, jobId: job.id, willRetry }, 'analysis job attempt failed'),
        });
    closers.push(() => jobQueue.close());

    const services = createServices(database, {
      notifier,
      webhookNetwork: config.webhooks,
      jobQueue,
      ...(payloadCache && { payloadCache }),
    });
    const provisioned = await bootstrap(services, config.init);
    if (Object.values(provisioned).some(Boolean))
      logger.info({ provisioned }, 'first-start provisioning applied');

    const ingestion = new IngestionService(eventLog, DEFAULT_EVENT_LIMITS, telemetry);
    const exposures = new ExposureRecorder(ingestion, {
      onError: (error) => logger.warn({ err: error }, 'recording remote-evaluation exposures failed'),
    });
    closers.push(() => exposures.flush());
    const { app, beginShutdown } = await buildApp({
      logger,
      dependencies: checks,
      services,
      telemetry,
      webRoot: DEFAULT_WEB_ROOT,
      trustProxy: config.trustProxy,
      serveApi: config.roles.api,
      ...(rateLimitRedis && { rateLimitRedis }),
      assignments: exposures,
      events: {
        ingestion,
        requestsPerMinutePerKey: config.events.requestsPerMinutePerKey,
      },
    });
    closers.push(() => app.close());
    await app.listen({ port: config.port, host: config.host });

    if (config.roles.worker) {
      const webhookWorker = new WebhookDeliveryWorker({
        webhooks: services.context.stores.webhooks,
        notifier,
        logger,
        network: config.webhooks,
      });
      webhookWorker.start();
      closers.push(() => webhookWorker.stop());
      if (eventSource) {
        const writer = new EventWriter({ source: eventSource, store: eventStore, logger, telemetry });
        writer.start();
        closers.push(() => writer.stop());
      }
      const scheduler = new Scheduler(logger);
      const retention = new RetentionJob(eventStore, config.events.retentionDays, logger);
      scheduler.start({ name: 'event retention', everyMs: 60 * 60 * 1000, run: () => retention.apply() });
      scheduler.start({
        name: 'expired sessions',
        everyMs: 60 * 60 * 1000,
        run: () => services.context.stores.users.deleteExpiredSessions(new Date().toISOString()),
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
      jobQueue.process((job, attempt) => services.analysis.runJob(job, attempt));
    }

    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const shownHost = ['0.0.0.0', '::', '127.0.0.1', '::1'].includes(config.host) ? 'localhost' : config.host;
    const url = `http://${shownHost}:${port}`;
    return {
      url,
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

async function openDatabase(config: Config, logger: Logger): Promise<SqlDatabase> {
  const target = config.database.kind === 'postgres' ? redactUrl(config.database.url) : config.database.file;
  const database = connectDatabase(config.database);
  try {
    await database.ping();
  } catch (error) {
    await database.close().catch(() => {});
    throw new StartupError(`Cannot reach the database at ${target}: ${describe(error)}`);
  }
  const { applied } = await migrateToLatest(database);
  logger.info({ dialect: database.dialect, target, applied }, 'database ready');
  return database;
}

async function reach<T>(what: string, url: string, connect: () => Promise<T>): Promise<T> {
  try {
    return await connect();
  } catch (error) {
    throw new StartupError(`Cannot reach ${what} at ${redactUrl(url)}: ${describe(error)}`);
  }
}

function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}

function describe(error: unknown): string {
  if (error instanceof AggregateError) return error.errors.map(describe).join('; ');
  return error instanceof Error ? error.message || error.name : String(error);
}
