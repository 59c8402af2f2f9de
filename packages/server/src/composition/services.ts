/**
 * @module composition/services
 * Builds every feature's service on one database and wires the features to each other through
 * the narrow interfaces they declare (a feature's store stays inside it). `server.ts` and the HTTP
 * tests both use this, so tests exercise exactly the wiring production runs.
 */

import type { Holdout, Layer, Segment } from '@cleave/core';
import { analysisQueriesFor } from '../adapters/analysis-queries-for.js';
import { eventStoreFor } from '../adapters/event-store-for.js';
import { memoryCache } from '../adapters/memory/cache.js';
import { MemoryJobQueue } from '../adapters/memory/job-queue.js';
import { postgresAnalysisDialect } from '../adapters/postgres/analysis-queries.js';
import type { SqlDatabase } from '../adapters/sql/sql-database.js';
import { sqlTransactor, type Transactor } from '../adapters/sql/transactor.js';
import { sqliteAnalysisDialect } from '../adapters/sqlite/analysis-queries.js';
import { type Clock, clockAt, systemClock } from '../domain/clock.js';
import { ExperimentOverview } from '../features/analysis/overview.js';
import { AnalysisService } from '../features/analysis/service.js';
import { ApiKeyService } from '../features/api-keys/service.js';
import { AuditLog } from '../features/audit/audit-log.js';
import { type Argon2Cost, argon2Hasher, RECOMMENDED_ARGON2_COST } from '../features/auth/password-hasher.js';
import { AuthService } from '../features/auth/service.js';
import { newSetupCode } from '../features/auth/setup-code.js';
import { ChangeRecorder } from '../features/changes/change-recorder.js';
import type { DefinitionService } from '../features/definitions/service.js';
import { ExperimentService } from '../features/experiments/service.js';
import { FlagService } from '../features/flags/service.js';
import { FlagUsageRecorder } from '../features/flags/usage-recorder.js';
import { FlagUsageStore } from '../features/flags/usage-store.js';
import { createHoldoutService } from '../features/holdouts/service.js';
import { createLayerService } from '../features/layers/service.js';
import { MemberService } from '../features/members/service.js';
import { MetricService } from '../features/metrics/service.js';
import { ProjectService, projectEnvironments } from '../features/projects/service.js';
import { SdkConfigService } from '../features/sdk-delivery/config-service.js';
import { createSegmentService } from '../features/segments/service.js';
import { WebhookOutbox } from '../features/webhooks/outbox.js';
import { WebhookService } from '../features/webhooks/service.js';
import type { TargetNetworkPolicy } from '../features/webhooks/target-network.js';
import type { AnalysisQueries } from '../ports/analysis-queries.js';
import type { Cache } from '../ports/cache.js';
import type { ChangeNotifier } from '../ports/change-notifier.js';
import type { JobQueue } from '../ports/job-queue.js';

export interface Services {
  transactor: Transactor;
  clock: Clock;
  notifier: ChangeNotifier;
  audit: AuditLog;
  changes: ChangeRecorder;
  auth: AuthService;
  projects: ProjectService;
  apiKeys: ApiKeyService;
  members: MemberService;
  flags: FlagService;
  /** When the server last evaluated each flag; written in batches. */
  flagUsage: FlagUsageRecorder;
  segments: DefinitionService<Segment>;
  layers: DefinitionService<Layer>;
  holdouts: DefinitionService<Holdout>;
  experiments: ExperimentService;
  metrics: MetricService;
  webhooks: WebhookService;
  webhookOutbox: WebhookOutbox;
  sdkConfigs: SdkConfigService;
  analysis: AnalysisService;
  /** Results summaries and recent traffic, for lists and planning. */
  overview: ExperimentOverview;
}

export interface ServiceOptions {
  notifier: ChangeNotifier;
  /** Shared cache of serialised SDK payloads (Redis in production); in-process by default. */
  payloadCache?: Cache<string>;
  sessionTtlMs?: number;
  /** Tests lower the cost; production keeps the recommendation. */
  passwordCost?: Argon2Cost;
  /** Where webhooks may point; by default not at loopback or private networks. */
  webhookNetwork?: TargetNetworkPolicy;
  /** Where analysis jobs go (BullMQ in production); in-process by default. */
  jobQueue?: JobQueue;
  /** The analysis SQL; by default the database's own dialect. */
  analysisQueries?: AnalysisQueries;
  /** What the first sign-up must present; a random one nobody knows when absent. */
  setupCode?: string;
  now?: () => Date;
}

const TWO_WEEKS_MS = 14 * 24 * 60 * 60 * 1000;

export function createServices(database: SqlDatabase, options: ServiceOptions): Services {
  const { notifier } = options;
  const transactor = sqlTransactor(database);
  const clock = options.now ? clockAt(options.now) : systemClock;
  const audit = new AuditLog(transactor);
  const webhookOutbox = new WebhookOutbox(notifier);
  const changes = new ChangeRecorder({
    transactor,
    notifier,
    clock,
    audit,
    environments: projectEnvironments,
    subscribers: [webhookOutbox],
  });
  const base = { transactor, changes };

  // The auth service is built after the services it reads (api keys, for authentication), and
  // members look people up through it: a late-bound reference breaks the construction cycle.
  const users = { auth: undefined as AuthService | undefined };
  const members = new MemberService({
    ...base,
    users: { findUserByEmail: (email: string) => (users.auth as AuthService).findUserByEmail(email) },
  });
  const projects = new ProjectService({
    ...base,
    members,
    data: {
      // Events first, then what analyses derived from them (facts a refresh would otherwise rebuild).
      deleteProject: async (projectId) => {
        await eventStoreFor(database).deleteProject(projectId);
        await analysisQueriesFor(database).forgetProject(projectId);
      },
    },
  });
  const apiKeys = new ApiKeyService({
    ...base,
    projects,
    onRevoked: (keyId: string) => users.auth?.forgetApiKey(keyId),
  });
  const auth = new AuthService({
    transactor,
    clock,
    audit,
    revocations: notifier,
    apiKeys,
    hasher: argon2Hasher(options.passwordCost ?? RECOMMENDED_ARGON2_COST),
    settings: {
      sessionTtlMs: options.sessionTtlMs ?? TWO_WEEKS_MS,
      setupCode: options.setupCode ?? newSetupCode(),
    },
  });
  users.auth = auth;
  // A key revoked through any node, or deleted with its project, leaves this node's cache at once
  // (its streams close in the hub).
  notifier.onAccessRevoked((revocation) => auth.forgetApiKeys(revocation));

  const flags = new FlagService({ ...base, projects });
  // Metrics ask experiments which of them use a metric; experiments ask metrics which exist.
  let experiments: ExperimentService | undefined;
  const metrics = new MetricService({
    ...base,
    usage: {
      experimentsUsingMetric: (project, key) =>
        (experiments as ExperimentService).experimentsUsingMetric(project, key),
    },
  });
  experiments = new ExperimentService({ ...base, flags, metrics });
  const analysis = new AnalysisService({
    ...base,
    clock,
    projects,
    experiments,
    metrics,
    queries: options.analysisQueries ?? analysisQueriesFor(database),
    queue: options.jobQueue ?? new MemoryJobQueue(),
  });
  const overview = new ExperimentOverview({
    db: database.db,
    dialect: database.dialect === 'postgres' ? postgresAnalysisDialect : sqliteAnalysisDialect,
    clock,
    projects,
    experiments,
    metrics,
  });

  return {
    transactor,
    clock,
    notifier,
    audit,
    changes,
    auth,
    projects,
    apiKeys,
    members,
    flags,
    flagUsage: new FlagUsageRecorder(new FlagUsageStore(transactor.db), clock),
    segments: createSegmentService(base),
    layers: createLayerService(base),
    holdouts: createHoldoutService(base),
    experiments,
    metrics,
    webhooks: new WebhookService({
      ...base,
      outbox: webhookOutbox,
      network: options.webhookNetwork ?? { allowPrivateNetworks: false },
    }),
    webhookOutbox,
    sdkConfigs: new SdkConfigService({
      transactor,
      clock,
      notifier,
      payloads: options.payloadCache ?? memoryCache({ maxEntries: 1_000, ttlMs: 60 * 60 * 1000 }),
      compiled: memoryCache({ maxEntries: 1_000, ttlMs: 60 * 60 * 1000 }),
    }),
    analysis,
    overview,
  };
}
