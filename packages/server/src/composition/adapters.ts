/**
 * @module composition/adapters
 * The one place that picks adapters from configuration: SQLite or PostgreSQL, in-process or Redis
 * for caching and change fan-out, group commit or NATS JetStream for the event log. Everything
 * else receives the interfaces (ports) and never learns which it has.
 */
import type { Logger } from 'pino';
import { analysisQueriesFor } from '../adapters/analysis-queries-for.js';
import { connectDatabase } from '../adapters/connect-database.js';
import { eventStoreFor } from '../adapters/event-store-for.js';
import { failoverRateCounter } from '../adapters/failover-rate-counter.js';
import { memoryCache } from '../adapters/memory/cache.js';
import { inProcessChangeNotifier } from '../adapters/memory/change-notifier.js';
import { MemoryJobQueue } from '../adapters/memory/job-queue.js';
import { memoryRateCounter } from '../adapters/memory/rate-counter.js';
import { connectNats } from '../adapters/nats/connect.js';
import { JetStreamEventConsumer } from '../adapters/nats/event-consumer.js';
import { JetStreamEventLog } from '../adapters/nats/event-log.js';
import { DEFAULT_EVENT_STREAM, ensureEventStream } from '../adapters/nats/event-stream.js';
import { connectPostgres } from '../adapters/postgres/connect.js';
import { BullMqJobQueue } from '../adapters/redis/bullmq-job-queue.js';
import { redisCache } from '../adapters/redis/cache.js';
import { redisChangeNotifier } from '../adapters/redis/change-notifier.js';
import { connectRedis } from '../adapters/redis/connect.js';
import { redisRateCounter } from '../adapters/redis/rate-counter.js';
import { GroupCommitEventLog, type WriterTelemetry } from '../adapters/sql/group-commit-event-log.js';
import { migrateToLatest } from '../adapters/sql/migrate.js';
import type { SqlDatabase } from '../adapters/sql/sql-database.js';
import { tieredCache } from '../adapters/tiered-cache.js';
import type { DependencyCheck } from '../features/health/readiness.js';
import type { AnalysisQueries, EventsDerivedState } from '../ports/analysis-queries.js';
import type { Cache } from '../ports/cache.js';
import type { ChangeNotifier } from '../ports/change-notifier.js';
import type { EventLog, EventSource } from '../ports/event-log.js';
import type { EventStore, ExistingProjectsEventStore } from '../ports/event-store.js';
import type { JobQueue } from '../ports/job-queue.js';
import type { RateCounter } from '../ports/rate-counter.js';
import type { Config } from '../runtime/config.js';

export interface Adapters {
  database: SqlDatabase;
  /**
   * Where analysis reads: a read-only connection to the replica at `DATABASE_READ_URL`, or the
   * main database when it is unset. Never written to.
   */
  analysisDatabase: SqlDatabase;
  notifier: ChangeNotifier;
  /** Shared SDK payload cache (Redis tier in front); absent: in-process only. */
  payloadCache?: Cache<string>;
  /**
   * Counters for every limit (sign-in attempts and back-off, event budgets): in Redis when there is
   * one, in-process while it fails (so limits hold per node rather than lapse), else in-process.
   */
  rateCounter: RateCounter;
  eventStore: EventStore & ExistingProjectsEventStore;
  eventLog: EventLog;
  /** Where the event writer reads from; only with a log to drain and the worker role. */
  eventSource?: EventSource;
  /** The analysis SQL of the database's dialect. */
  /** Also forgets per-unit facts built from events that retention drops. */
  analysisQueries: AnalysisQueries & EventsDerivedState;
  /** Analysis jobs: BullMQ shared by every worker with Redis, in-process without. */
  jobQueue: JobQueue;
  /** Everything `/readyz` must find reachable. */
  checks: DependencyCheck[];
}

/** Thrown when a configured dependency cannot be reached at start-up. */
export class StartupError extends Error {
  override name = 'StartupError';
}

/**
 * Connects every adapter the configuration names. Each one's closer is pushed onto `closers` as
 * soon as it is open, so a failure half-way still closes what was opened.
 */
export async function connectAdapters(
  config: Config,
  logger: Logger,
  closers: Array<() => Promise<void>>,
  /** The embedded event log keeps the writer's metrics in it. */
  telemetry: WriterTelemetry,
): Promise<Adapters> {
  const database = await openDatabase(config, logger);
  closers.push(() => database.close());
  const checks: DependencyCheck[] = [
    { name: 'database', info: { dialect: database.dialect }, check: () => database.ping() },
  ];
  let analysisDatabase = database;
  if (config.readDatabaseUrl) {
    const url = config.readDatabaseUrl;
    const replica = await reach('the read database', url, async () => {
      const connection = connectPostgres(url, {
        maxConnections: 4,
        readOnly: true,
        traceQueries: config.tracing !== undefined,
      });
      try {
        await connection.ping();
      } catch (error) {
        await connection.close().catch(() => {});
        throw error;
      }
      return connection;
    });
    closers.push(() => replica.close());
    checks.push({ name: 'database-read', check: () => replica.ping() });
    analysisDatabase = replica;
  }

  let notifier: ChangeNotifier = inProcessChangeNotifier();
  let payloadCache: Cache<string> | undefined;
  let rateCounter: RateCounter = memoryRateCounter();
  if (config.redisUrl) {
    const redis = await reach('Redis', config.redisUrl, () => connectRedis(config.redisUrl as string));
    rateCounter = failoverRateCounter(redisRateCounter(redis.client), memoryRateCounter(), {
      onOutage: (error) =>
        logger.warn({ err: error }, 'Redis unreachable: rate limits are counted per node until it answers'),
      onRecovery: () => logger.info('Redis answers again: rate limits are shared across nodes again'),
    });
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
  const streamSettings = {
    ...DEFAULT_EVENT_STREAM,
    stream: config.events.natsStream,
    replicas: config.events.natsReplicas,
  };
  let eventLog: EventLog;
  let eventSource: EventSource | undefined;
  if (config.natsUrl) {
    const nats = await reach('NATS', config.natsUrl, () => connectNats(config.natsUrl as string));
    closers.push(() => nats.close());
    checks.push({ name: 'nats', check: () => nats.ping() });
    await ensureEventStream(nats.connection, streamSettings);
    eventLog = new JetStreamEventLog(nats.connection, streamSettings);
    if (config.roles.worker) eventSource = await JetStreamEventConsumer.open(nats.connection, streamSettings);
  } else {
    // Embedded: events commit to the store before the API answers; the log is the writer.
    eventLog = new GroupCommitEventLog(eventStore, { telemetry });
  }
  closers.push(() => eventLog.close());

  const reportFailure = (job: { id: string }, error: unknown, willRetry: boolean) =>
    logger.warn({ err: error, jobId: job.id, willRetry }, 'analysis job attempt failed');
  const jobQueue: JobQueue = config.redisUrl
    ? new BullMqJobQueue({
        redisUrl: config.redisUrl,
        concurrency: config.analysis.concurrency,
        onFailure: reportFailure,
      })
    : new MemoryJobQueue({ concurrency: config.analysis.concurrency, onFailure: reportFailure });
  closers.push(() => jobQueue.close());

  return {
    database,
    analysisDatabase,
    notifier,
    ...(payloadCache && { payloadCache }),
    rateCounter,
    eventStore,
    eventLog,
    ...(eventSource && { eventSource }),
    analysisQueries: analysisQueriesFor(database, analysisDatabase),
    jobQueue,
    checks,
  };
}

async function openDatabase(config: Config, logger: Logger): Promise<SqlDatabase> {
  const target = config.database.kind === 'postgres' ? redactUrl(config.database.url) : config.database.file;
  const database = connectDatabase(config.database, { traceQueries: config.tracing !== undefined });
  try {
    await database.ping();
  } catch (error) {
    await database.close().catch(() => {});
    throw new StartupError(`Cannot reach the database at ${target}: ${describe(error)}`);
  }
  const { applied, newer } = await migrateToLatest(database);
  logger.info({ dialect: database.dialect, target, applied }, 'database ready');
  if (newer.length > 0)
    logger.warn({ newer }, 'the database was migrated by a newer release; this one runs on its schema');
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
