/**
 * @module test-support/test-app
 * The real application on a real database (SQLite file or a fresh Postgres database), driven through
 * `app.inject`, with helpers to act as a signed-in person or an API key.
 */
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyBaseLogger, FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { pino } from 'pino';
import { eventStoreFor } from '../adapters/event-store-for.js';
import { inProcessChangeNotifier } from '../adapters/memory/change-notifier.js';
import { MemoryJobQueue } from '../adapters/memory/job-queue.js';
import { memoryRateCounter } from '../adapters/memory/rate-counter.js';
import { GroupCommitEventLog } from '../adapters/sql/group-commit-event-log.js';
import { observeConnectionPools } from '../adapters/sql/pool-metrics.js';
import type { SqlDialect } from '../adapters/sql/sql-database.js';
import { buildApp } from '../composition/app.js';
import { createDemo } from '../composition/demo.js';
import { apiRoutes, eventIngestion, rootRoutes } from '../composition/routes.js';
import { createServices, type Services } from '../composition/services.js';
import { measuredJobHandler } from '../features/analysis/job-metrics.js';
import type { EventBudgetSettings } from '../features/events/event-budget.js';
import { ExposureRecorder } from '../features/events/exposure-recorder.js';
import type { TargetNetworkPolicy } from '../features/webhooks/target-network.js';
import type { AnalysisQueries } from '../ports/analysis-queries.js';
import type { ChangeNotifier } from '../ports/change-notifier.js';
import type { EventLog } from '../ports/event-log.js';
import type { EventStore } from '../ports/event-store.js';
import type { JobQueue } from '../ports/job-queue.js';
import type { RateCounter } from '../ports/rate-counter.js';
import { createTelemetry, type Telemetry } from '../runtime/telemetry.js';
import { createTestDatabase, type TestDatabase } from './databases.js';
import { recordSecret, serverLogFile } from './log-scan.js';

/** Cheap argon2 parameters: tests sign in hundreds of times. */
export const TEST_PASSWORD_COST = { memoryCost: 1024, timeCost: 1, parallelism: 1 };

export interface Credentials {
  headers: Record<string, string>;
}

export interface TestApp {
  app: FastifyInstance;
  services: Services;
  notifier: ChangeNotifier;
  database: TestDatabase;
  telemetry: Telemetry;
  /** Where analysis jobs go; this process runs them (through the job metrics, as the server does). */
  jobQueue: JobQueue;
  eventStore: EventStore;
  /** Records remote-evaluation exposures; `flush()` makes them durable now. */
  exposures: ExposureRecorder;
  request(options: InjectOptions, as?: Credentials): Promise<LightMyRequestResponse>;
  /** Signs up the first user (instance admin) and returns their session. */
  signUpOwner(email?: string): Promise<Credentials & { userId: string }>;
  /** Creates a person through the API (as `admin`) and signs them in. */
  createPerson(admin: Credentials, email: string): Promise<Credentials & { userId: string }>;
  signIn(email: string, password?: string): Promise<Credentials & { userId: string }>;
  bearer(secret: string): Credentials;
  /** Creates a project (with its default environments) through the API. */
  createProject(as: Credentials, key?: string): Promise<void>;
  /** Creates an environment key through the API; returns credentials that send it. */
  environmentKey(
    as: Credentials,
    options?: { project?: string; kind?: 'sdk' | 'server'; environment?: string },
  ): Promise<Credentials>;
  close(): Promise<void>;
}

export const TEST_PASSWORD = 'correct horse battery staple';
/** The setup code of every test app: the first sign-up must present it. */
export const TEST_SETUP_CODE = 'TEST-SETUP-CODE-0001';

export async function createTestApp(
  dialect: SqlDialect,
  options: {
    signInAttemptsPerMinute?: number;
    /** Event budgets (events per minute): generous unless a test is about them. */
    eventBudget?: Partial<EventBudgetSettings>;
    /** Shared counters (two apps on one Redis); in-process by default. */
    rateCounter?: RateCounter;
    signInFailuresPerAddress?: number;
    eventLog?: EventLog;
    trustProxy?: boolean;
    /** Where webhooks may point; tests with local receivers allow private networks. */
    webhookNetwork?: TargetNetworkPolicy;
    /** Node.js process metrics (event loop, memory…) in /metrics, as production has them. */
    processMetrics?: boolean;
    streamRecheckMs?: number;
    /** Where the app logs (tests of what logs hold); silent by default. */
    logger?: FastifyBaseLogger;
    /** A database the test made (a private PostgreSQL server); a fresh one by default. */
    database?: TestDatabase;
    /** The analysis SQL, for tests that need to act while a job runs; the dialect's by default. */
    analysisQueries?: AnalysisQueries;
    /** Retries of analysis jobs: quick by default. */
    jobRetries?: { backoffMs: number; maxAttempts: number };
  } = {},
): Promise<TestApp> {
  const database = options.database ?? (await createTestDatabase(dialect));
  const notifier = inProcessChangeNotifier();
  // Analysis jobs run in this process, retried quickly.
  const jobQueue = new MemoryJobQueue(options.jobRetries ?? { backoffMs: 50 });
  const services = createServices(database.database, {
    notifier,
    jobQueue,
    ...(options.analysisQueries && { analysisQueries: options.analysisQueries }),
    passwordCost: TEST_PASSWORD_COST,
    setupCode: TEST_SETUP_CODE,
    ...(options.webhookNetwork && { webhookNetwork: options.webhookNetwork }),
  });
  const telemetry = createTelemetry({ processMetrics: options.processMetrics ?? false });
  const eventStore = eventStoreFor(database.database);
  const eventLog = options.eventLog ?? new GroupCommitEventLog(eventStore, { telemetry });
  jobQueue.process(
    measuredJobHandler((job, attempt) => services.analysis.runJob(job, attempt), {
      jobSeconds: telemetry.analysisJobSeconds,
      jobFailures: telemetry.analysisJobFailures,
    }),
  );
  observeConnectionPools(telemetry.registry, [{ name: 'primary', database: database.database }]);
  const rateCounter = options.rateCounter ?? memoryRateCounter();
  const events = eventIngestion(eventLog, telemetry, {
    settings: { perKeyPerMinute: 1_000_000, perClientPerMinute: 1_000_000, ...options.eventBudget },
    counter: rateCounter,
  });
  const exposures = new ExposureRecorder(events.ingestion);
  const settings = {
    signInAttemptsPerMinute: options.signInAttemptsPerMinute ?? 1_000,
    // Tests sign in (and fail to) hundreds of times from one address.
    signInFailuresPerAddress: options.signInFailuresPerAddress ?? 1_000_000,
    rateCounter,
    streamRecheckMs: options.streamRecheckMs,
    flagEvaluations: telemetry.flagEvaluations,
    sseConnections: telemetry.sseConnections,
    events,
    assignments: exposures,
    // Never seeded here (tests make their own data); its routes answer as on an instance without one.
    demo: createDemo(
      database.database,
      services,
      eventStore,
      path.join(tmpdir(), `cleave-demo-${randomUUID()}`),
    ),
  };
  const { app } = await buildApp({
    telemetry,
    routes: { api: apiRoutes(services, settings), root: rootRoutes(services, settings) },
    // TEST_LOG=1 shows server-side errors (the 500s a test provokes) while debugging. In a run
    // that scans logs, the app logs at info to the run's folder, requests included.
    logger: options.logger ?? (process.env.TEST_LOG ? pino({ level: 'error' }) : scannedLogger()),
    dependencies: [{ name: 'database', check: () => database.database.ping() }],
    services,
    rateCounter,
    ...(options.trustProxy !== undefined && { trustProxy: options.trustProxy }),
  });
  await app.ready();

  recordSecret(TEST_PASSWORD);
  recordSecret(TEST_SETUP_CODE);
  const request = async (options: InjectOptions, as?: Credentials) => {
    const response = await app.inject({
      ...options,
      headers: { ...(options.headers ?? {}), ...(as?.headers ?? {}) },
    });
    recordIssuedSecrets(options, response);
    return response;
  };

  const signIn = async (email: string, password = TEST_PASSWORD) => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email, password },
    });
    if (response.statusCode !== 200)
      throw new Error(`sign-in failed: ${response.statusCode} ${response.body}`);
    recordIssuedSecrets({ payload: { password } }, response);
    const cookie = response.cookies.find((candidate) => candidate.name === 'cleave_session');
    if (!cookie) throw new Error('sign-in set no session cookie');
    const body = response.json();
    return {
      userId: body.user.id as string,
      headers: { cookie: `cleave_session=${cookie.value}`, 'x-csrf-token': body.csrfToken as string },
    };
  };

  return {
    app,
    services,
    notifier,
    database,
    telemetry,
    jobQueue,
    eventStore,
    exposures,
    request,
    signIn,
    async signUpOwner(email = 'owner@example.com') {
      const response = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/signup',
        payload: { email, name: 'Owner', password: TEST_PASSWORD, setupCode: TEST_SETUP_CODE },
      });
      if (response.statusCode !== 201)
        throw new Error(`sign-up failed: ${response.statusCode} ${response.body}`);
      return signIn(email);
    },
    async createPerson(admin, email) {
      const response = await request(
        {
          method: 'POST',
          url: '/api/v1/users',
          payload: { email, name: email.split('@')[0], password: TEST_PASSWORD },
        },
        admin,
      );
      if (response.statusCode !== 201)
        throw new Error(`create person failed: ${response.statusCode} ${response.body}`);
      return signIn(email);
    },
    bearer: (secret) => ({ headers: { authorization: `Bearer ${secret}` } }),
    async createProject(as, key = 'shop') {
      const response = await request(
        { method: 'POST', url: '/api/v1/projects', payload: { key, name: key } },
        as,
      );
      if (response.statusCode !== 201)
        throw new Error(`create project failed: ${response.statusCode} ${response.body}`);
    },
    async environmentKey(as, { project = 'shop', kind = 'sdk', environment = 'production' } = {}) {
      const response = await request(
        {
          method: 'POST',
          url: `/api/v1/projects/${project}/api-keys`,
          payload: { name: `${kind} key`, kind, environment },
        },
        as,
      );
      if (response.statusCode !== 201)
        throw new Error(`create ${kind} key failed: ${response.statusCode} ${response.body}`);
      return { headers: { authorization: `Bearer ${response.json().secret as string}` } };
    },
    async close() {
      // Test clients (fetch) may hold keep-alive sockets for seconds; don't wait for them.
      if (app.server.listening) setTimeout(() => app.server.closeAllConnections(), 50).unref();
      await app.close();
      await jobQueue.close();
      await database.destroy();
    },
  };
}

/** In a run that scans logs (log-scan.ts): an info-level logger writing to the run's folder. */
function scannedLogger(): FastifyBaseLogger | false {
  const file = serverLogFile('in-process');
  if (!file) return false;
  return pino({ level: 'info' }, pino.destination({ dest: file, append: true, sync: true }));
}

/**
 * Records what a successful answer proves secret: the password it accepted, the API key or
 * webhook secret it issued, the session and CSRF token it opened. Failed requests are left out:
 * their "passwords" are made-up test input, free to appear anywhere.
 */
function recordIssuedSecrets(options: InjectOptions, response: LightMyRequestResponse): void {
  if (response.statusCode >= 300) return;
  const payload = options.payload as Record<string, unknown> | undefined;
  if (payload && typeof payload === 'object') {
    recordSecret(payload.password);
    recordSecret(payload.setupCode);
  }
  for (const cookie of response.cookies) recordSecret(cookie.value);
  if (!response.headers['content-type']?.toString().includes('json')) return;
  try {
    const body = response.json() as Record<string, unknown>;
    recordSecret(body.secret);
    recordSecret(body.csrfToken);
  } catch {
    // Not JSON after all.
  }
}
