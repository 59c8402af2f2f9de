/**
 * @module features/demo/service
 * The demo project: seeded once, on a fresh embedded store, so a first start has something to show
 * (flags, a running experiment with two weeks of traffic and results, an A/A test); found, to show
 * it as the demo; and removed in one action with everything it holds, events included.
 *
 * The history is made as it would have happened: the project, metrics, experiments and flags are
 * created through their services with a clock set two weeks back (so the experiments started then),
 * the events are the evaluation of the real config written to the events store, and the analysis
 * runs as a normal job.
 */
import { rm, writeFile } from 'node:fs/promises';
import type { Transactor } from '../../adapters/sql/transactor.js';
import type { Clock } from '../../domain/clock.js';
import type { Principal } from '../../domain/principal.js';
import type { Project } from '../../domain/project.js';
import { NotFoundError } from '../../http/errors.js';
import type { EventStore } from '../../ports/event-store.js';
import type { AnalysisService } from '../analysis/service.js';
import type { ApiKeyService } from '../api-keys/service.js';
import type { Caller } from '../definitions/service.js';
import type { ExperimentService } from '../experiments/service.js';
import type { FlagService } from '../flags/service.js';
import type { MetricService } from '../metrics/service.js';
import type { ProjectService } from '../projects/service.js';
import type { SdkConfigService } from '../sdk-delivery/config-service.js';
import { KyselyDemoStore } from './demo-store.js';
import {
  DEMO_DAYS,
  DEMO_ENVIRONMENT,
  DEMO_EXPERIMENTS,
  DEMO_FLAGS,
  DEMO_METRICS,
  DEMO_PROJECT,
} from './demo-story.js';
import { simulatedHistory } from './simulated-history.js';

const DAY_MS = 24 * 3_600_000;
/** The seed of the simulated visitors: the same demo on every fresh start. */
const DEMO_SEED = 2;
const VISITORS_PER_DAY = 450;

/** The services the demo creates its definitions through, with the clock they were built on. */
export interface DemoDefinitionServices {
  projects: ProjectService;
  metrics: MetricService;
  experiments: ExperimentService;
  flags: FlagService;
}

export interface DemoServiceOptions {
  transactor: Transactor;
  clock: Clock;
  services: DemoDefinitionServices & {
    apiKeys: ApiKeyService;
    sdkConfigs: SdkConfigService;
    analysis: AnalysisService;
    needsFirstUser(): Promise<boolean>;
  };
  /** The same services on a clock that reads `now()` (the demo's past). */
  servicesAt(now: () => Date): DemoDefinitionServices;
  eventStore: EventStore;
  /** Where the demo's server key is written (mode 0600) for `npm run demo:traffic`. */
  keyFile: string;
}

export interface SeededDemo {
  project: Project;
  events: number;
  /** The analyses queued, one per experiment: results exist once they succeed. */
  jobIds: string[];
}

const SYSTEM: Caller = { principal: undefined, requestId: null };
const TAGS = ['demo'];

export class DemoService {
  private readonly store: KyselyDemoStore;

  constructor(private readonly options: DemoServiceOptions) {
    this.store = new KyselyDemoStore(options.transactor.db);
  }

  /** Seeds the demo when the store is empty (no account, no project); otherwise does nothing. */
  async seedIfEmpty(): Promise<SeededDemo | undefined> {
    const { services } = this.options;
    if (!(await services.needsFirstUser())) return undefined;
    if ((await services.projects.listAll({ limit: 1 })).length > 0) return undefined;
    return this.seed();
  }

  private async seed(): Promise<SeededDemo> {
    const { services, clock } = this.options;
    const end = clock.now();
    let past = end.getTime() - DEMO_DAYS * DAY_MS - 3_600_000;
    const then = this.options.servicesAt(() => new Date(past));

    const project = await then.projects.create(DEMO_PROJECT, undefined, null);
    await this.store.mark(project.id, new Date(past).toISOString());
    for (const metric of DEMO_METRICS) await then.metrics.create(project, { ...metric, tags: TAGS }, SYSTEM);
    const experiments = [];
    for (const experiment of DEMO_EXPERIMENTS)
      experiments.push(await then.experiments.create(project, { ...experiment, tags: TAGS }, SYSTEM));
    for (const flag of DEMO_FLAGS) await then.flags.create(project, { ...flag, tags: TAGS }, SYSTEM);
    past = end.getTime() - DEMO_DAYS * DAY_MS;
    for (const experiment of experiments) {
      await then.experiments.start(project, experiment.key, experiment.version, SYSTEM);
    }

    const key = await services.apiKeys.create(
      project,
      { name: 'Demo traffic (npm run demo:traffic)', kind: 'server', environment: DEMO_ENVIRONMENT },
      undefined,
      null,
    );
    await writeFile(this.options.keyFile, `${key.secret}\n`, { mode: 0o600 });

    const environment = await services.projects.environmentByKey(project, DEMO_ENVIRONMENT);
    const version = await services.sdkConfigs.currentVersion(project.id, environment.id);
    const { compiled } = await services.sdkConfigs.compiledFor(project.id, environment.id, version);
    const events = simulatedHistory({
      projectId: project.id,
      environmentId: environment.id,
      compiled,
      flagKeys: DEMO_FLAGS.map((flag) => flag.key),
      behaviourFlag: 'checkout-flow',
      end,
      days: DEMO_DAYS,
      visitorsPerDay: VISITORS_PER_DAY,
      seed: DEMO_SEED,
    });
    const [stored = 0] = await this.options.eventStore.insertBatches([events]);

    const jobIds: string[] = [];
    for (const experiment of experiments) {
      jobIds.push((await services.analysis.requestAnalysis(project, experiment.key, DEMO_ENVIRONMENT)).id);
    }
    return { project, events: stored, jobIds };
  }

  /** Resolves when the seed's analyses have finished (they run once the job queue is processed). */
  async analysed(seeded: SeededDemo, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (const jobId of seeded.jobIds) {
      for (;;) {
        const job = await this.options.services.analysis.getJob(seeded.project, jobId);
        if (job.status === 'succeeded') break;
        if (job.status === 'failed')
          throw new Error(`The demo's analysis failed: ${job.error ?? 'unknown error'}`);
        if (Date.now() > deadline) throw new Error("The demo's analysis did not finish in time.");
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
  }

  /** The demo project, while there is one. */
  async current(): Promise<Project | undefined> {
    const projectId = await this.store.projectId();
    return projectId === undefined ? undefined : this.options.services.projects.findProjectById(projectId);
  }

  /** Deletes the demo project, its events, and the key file; 404 when there is none. */
  async remove(principal: Principal | undefined, requestId: string | null): Promise<Project> {
    const project = await this.current();
    if (!project) throw new NotFoundError('There is no demo project (it was removed, or never seeded).');
    await this.options.services.projects.delete(project, principal, requestId);
    await rm(this.options.keyFile, { force: true });
    return project;
  }
}
