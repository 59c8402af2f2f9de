/**
 * @module services
 * Builds every feature service on one database. `server.ts` and the HTTP tests both use this, so
 * tests exercise exactly the wiring production runs.
 */

import { memoryCache } from '../adapters/memory/cache.js';
import { MemoryJobQueue } from '../adapters/memory/job-queue.js';
import { analysisQueriesFor } from '../adapters/sql/analysis-queries-for.js';
import type { SqlDatabase } from '../adapters/sql/sql-database.js';
import { KyselyJobStore } from '../features/analysis/job-store.js';
import { AnalysisService } from '../features/analysis/service.js';
import { KyselySnapshotStore } from '../features/analysis/snapshot-store.js';
import { ApiKeyService } from '../features/api-keys/service.js';
import { type Argon2Cost, argon2Hasher, RECOMMENDED_ARGON2_COST } from '../features/auth/password-hasher.js';
import { AuthService } from '../features/auth/service.js';
import { ExperimentService } from '../features/experiments/service.js';
import { FlagService } from '../features/flags/service.js';
import { createHoldoutService } from '../features/holdouts/service.js';
import { createLayerService } from '../features/layers/service.js';
import { MemberService } from '../features/members/service.js';
import { MetricService } from '../features/metrics/service.js';
import { ProjectService } from '../features/projects/service.js';
import { SdkConfigService } from '../features/sdk-delivery/config-service.js';
import { createSegmentService } from '../features/segments/service.js';
import { WebhookService } from '../features/webhooks/service.js';
import type { TargetNetworkPolicy } from '../features/webhooks/target-network.js';
import type { Cache } from '../ports/cache.js';
import type { ChangeNotifier } from '../ports/change-notifier.js';
import type { JobQueue } from '../ports/job-queue.js';
import { createServiceContext, type ServiceContext } from '../service-context.js';
import { sqlStores, sqlTransactor } from '../stores.js';

export interface Services {
  context: ServiceContext;
  auth: AuthService;
  projects: ProjectService;
  apiKeys: ApiKeyService;
  members: MemberService;
  flags: FlagService;
  segments: ReturnType<typeof createSegmentService>;
  layers: ReturnType<typeof createLayerService>;
  holdouts: ReturnType<typeof createHoldoutService>;
  experiments: ExperimentService;
  metrics: MetricService;
  webhooks: WebhookService;
  sdkConfigs: SdkConfigService;
  analysis: AnalysisService;
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
  now?: () => Date;
}

const TWO_WEEKS_MS = 14 * 24 * 60 * 60 * 1000;

export function createServices(database: SqlDatabase, options: ServiceOptions): Services {
  const context = createServiceContext({
    transactor: sqlTransactor(database),
    stores: sqlStores(database.db),
    notifier: options.notifier,
    ...(options.now && { now: options.now }),
  });
  const auth = new AuthService(context, argon2Hasher(options.passwordCost ?? RECOMMENDED_ARGON2_COST), {
    sessionTtlMs: options.sessionTtlMs ?? TWO_WEEKS_MS,
  });
  const projects = new ProjectService(context);
  const experiments = new ExperimentService(context);
  const metrics = new MetricService(context);
  return {
    context,
    auth,
    projects,
    apiKeys: new ApiKeyService(context, (keyId) => auth.forgetApiKey(keyId)),
    members: new MemberService(context),
    flags: new FlagService(context),
    segments: createSegmentService(context),
    layers: createLayerService(context),
    holdouts: createHoldoutService(context),
    experiments,
    metrics,
    webhooks: new WebhookService(context, options.webhookNetwork ?? { allowPrivateNetworks: false }),
    sdkConfigs: new SdkConfigService(
      context,
      options.payloadCache ?? memoryCache({ maxEntries: 1_000, ttlMs: 60 * 60 * 1000 }),
      // Compiled configs are objects: they stay in-process on every node.
      memoryCache({ maxEntries: 1_000, ttlMs: 60 * 60 * 1000 }),
    ),
    analysis: new AnalysisService({
      context,
      projects,
      experiments,
      metrics,
      queries: analysisQueriesFor(database),
      jobs: new KyselyJobStore(database.db),
      snapshots: new KyselySnapshotStore(database.db),
      queue: options.jobQueue ?? new MemoryJobQueue(),
    }),
  };
}
