/**
 * @module features/analysis/service
 * Experiment analysis as use cases: request a run (a background job), run it (the job handler:
 * SQL sufficient statistics → statistics engine → snapshot), read the latest results, and refresh
 * running experiments on their schedule, ending them on their end date or planned sample size.
 *
 * Experiments, metrics and projects are read through their services; the events only through
 * the {@link AnalysisQueries} port, so nothing here knows the SQL dialect.
 */
import type { Metric } from '@cleave/core';
import type { Transactor } from '../../adapters/sql/transactor.js';
import type { Clock } from '../../domain/clock.js';
import type { Project } from '../../domain/project.js';
import { NotFoundError } from '../../http/errors.js';
import type { AnalysedMetric, AnalysisQueries, AnalysisScope } from '../../ports/analysis-queries.js';
import { type JobAttempt, type JobQueue, PermanentJobError, type QueuedJob } from '../../ports/job-queue.js';
import type { ChangeRecorder } from '../changes/change-recorder.js';
import type { DefinitionRecord } from '../definitions/definition-record.js';
import {
  type AnalysisSettings,
  analysisSettingsOf,
  type ExperimentDocument,
} from '../experiments/experiment-document.js';
import type { ExperimentService } from '../experiments/service.js';
import type { MetricService } from '../metrics/service.js';
import type { ProjectService } from '../projects/service.js';
import { type AnalysisJob, type JobStore, KyselyJobStore } from './job-store.js';
import { computeDimension, computeResults, type MetricInput, type MetricRole } from './results.js';
import type { Results } from './schemas.js';
import { KyselySnapshotStore, type Snapshot, type SnapshotStore } from './snapshot-store.js';

export const ANALYSIS_JOB = 'experiment-analysis';

/**
 * What one run of the handler did: analysed (`succeeded`), found nothing to do (`skipped`: the job
 * is gone or another worker has it), or ended the job as failed without throwing.
 */
export type JobOutcome = 'succeeded' | 'skipped' | 'failed';

/** A running job that has not reported progress for this long lost its worker. */
const DEFAULT_LEASE_MS = 15 * 60 * 1000;
const MINUTE_MS = 60 * 1000;

/** What a snapshot keeps besides its outputs: enough to recompute or explain them. */
export interface SnapshotInputs {
  scope: AnalysisScope;
  environmentKey: string;
  variations: { key: string; weight: number }[];
  metrics: (AnalysedMetric & { role: MetricRole; direction: 'increase' | 'decrease' })[];
  exposures: Awaited<ReturnType<AnalysisQueries['exposures']>>;
  sums: Awaited<ReturnType<AnalysisQueries['metricSums']>>;
}

export type SnapshotOutputs = Pick<Results, 'health' | 'metrics'>;

export type AnalysisSnapshot = Snapshot<AnalysisSettings, SnapshotInputs, SnapshotOutputs>;

export interface AnalysisServiceOptions {
  transactor: Transactor;
  /** Announces `experiment.ready` (audit log and webhooks), and new results to live updates. */
  changes: ChangeRecorder;
  clock: Clock;
  projects: ProjectService;
  experiments: ExperimentService;
  metrics: MetricService;
  queries: AnalysisQueries;
  queue: JobQueue;
  leaseMs?: number;
}

export class AnalysisService {
  private readonly jobs: JobStore;
  private readonly snapshots: SnapshotStore;

  constructor(private readonly options: AnalysisServiceOptions) {
    // Jobs and snapshots are this feature's own tables; their writes need no transaction of a change.
    this.jobs = new KyselyJobStore(options.transactor.db);
    this.snapshots = new KyselySnapshotStore(options.transactor.db);
  }

  private now(): string {
    return this.options.clock.now().toISOString();
  }

  /**
   * Queues an analysis of the experiment in an environment (default production). An analysis
   * already queued or running for it is the answer instead of a second one.
   */
  async requestAnalysis(
    project: Project,
    experimentKey: string,
    environmentKey = 'production',
  ): Promise<AnalysisJob> {
    await this.options.experiments.get(project, experimentKey);
    const environment = await this.options.projects.environmentByKey(project, environmentKey);
    const active = await this.jobs.findActive(project.id, experimentKey, environment.id);
    if (active && !this.abandoned(active)) return active;
    // A job left running by a worker that died (or lost the database for good) would otherwise
    // be joined by every later request, and this experiment never analysed again.
    if (active) await this.jobs.fail(active.id, 'The worker running it stopped responding.', this.now());
    const id = this.options.clock.newId();
    const job = await this.jobs.create(
      {
        id,
        projectId: project.id,
        type: ANALYSIS_JOB,
        experimentKey,
        environmentId: environment.id,
      },
      this.now(),
    );
    // A request that raced another one joins its job, which is queued already.
    if (job.id === id) await this.options.queue.enqueue({ id: job.id, type: ANALYSIS_JOB });
    return job;
  }

  /** Running, but silent for longer than the lease: its worker is gone. */
  private abandoned(job: AnalysisJob): boolean {
    const leaseMs = this.options.leaseMs ?? DEFAULT_LEASE_MS;
    return job.status === 'running' && Date.parse(job.updatedAt) < Date.parse(this.now()) - leaseMs;
  }

  async getJob(project: Project, jobId: string): Promise<AnalysisJob> {
    const job = await this.jobs.get(jobId);
    if (!job || job.projectId !== project.id)
      throw new NotFoundError(`No job "${jobId}" in project "${project.key}".`);
    return job;
  }

  /**
   * The queue's handler. Throws to have the queue retry a transient failure; otherwise says what
   * became of the job (for the job metrics).
   */
  async runJob(queued: QueuedJob, attempt: JobAttempt): Promise<JobOutcome> {
    const { jobs } = this;
    const staleBefore = new Date(
      Date.parse(this.now()) - (this.options.leaseMs ?? DEFAULT_LEASE_MS),
    ).toISOString();
    const claim = await jobs.claim(queued.id, this.now(), staleBefore, { retry: attempt.attempt > 1 });
    if (claim === 'gone' || claim === 'taken') return 'skipped';
    if (claim === 'busy') {
      const message = 'Another analysis of this experiment was running; this one waits for it.';
      if (attempt.attempt >= attempt.maxAttempts) {
        await jobs.fail(queued.id, message, this.now());
        return 'failed';
      }
      throw new Error(message);
    }
    try {
      const snapshotId = await this.analyse(queued.id);
      await jobs.succeed(queued.id, snapshotId, this.now());
      return 'succeeded';
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const permanent = error instanceof PermanentJobError || error instanceof NotFoundError;
      if (permanent || attempt.attempt >= attempt.maxAttempts) {
        await jobs.fail(queued.id, message, this.now());
        if (permanent) throw new PermanentJobError(message);
      } else {
        await jobs.requeue(queued.id, message, this.now());
      }
      throw error;
    }
  }

  /** Analyses what a claimed job names, stores the snapshot, and returns its id. */
  private async analyse(jobId: string): Promise<string> {
    const { jobs, snapshots } = this;
    const { projects, experiments, queries } = this.options;
    const job = await jobs.get(jobId);
    if (!job) throw new PermanentJobError(`Job ${jobId} disappeared.`);
    const project = await projects.findProjectById(job.projectId);
    if (!project) throw new PermanentJobError('The project no longer exists.');
    const environment = await projects.findEnvironmentById(project.id, job.environmentId);
    if (!environment) throw new PermanentJobError('The environment no longer exists.');
    const experiment = await experiments.get(project, job.experimentKey);
    const settings = analysisSettingsOf(experiment.definition);
    const metrics = await this.analysedMetrics(project, experiment.definition, settings);
    const computedAt = this.now();
    const scope: AnalysisScope = {
      projectId: project.id,
      environmentId: environment.id,
      experimentKey: experiment.key,
      variations: experiment.definition.variations.map((variation) => variation.key),
      ...(settings.startAt && { startAt: new Date(settings.startAt).toISOString() }),
      endAt: analysisEnd(experiment, computedAt),
    };
    await jobs.progress(jobId, 0.1, this.now());
    const { exposures, sums } = await queries.analysis(scope, metrics);
    await jobs.progress(jobId, 0.6, this.now());
    const daily = await queries.dailySums(scope, metrics, sums);
    await jobs.progress(jobId, 0.9, this.now());

    const variations = experiment.definition.variations.map(({ key, weight }) => ({ key, weight }));
    const units = Object.values(exposures.units).reduce((total, count) => total + count, 0);
    const ended = endingOf(settings, units, computedAt);
    const outputs = computeResults({
      settings,
      variations,
      exposures,
      ended,
      metrics: metrics.map((metric, index) => ({
        ...metricInputOf(metric),
        sums: sums[index]?.variants ?? [],
        daily: daily[index]?.days ?? [],
      })),
    });
    const previous = (await snapshots.latest(project.id, experiment.key, environment.id)) as
      | AnalysisSnapshot
      | undefined;
    const snapshot: AnalysisSnapshot = {
      id: this.options.clock.newId(),
      projectId: project.id,
      experimentKey: experiment.key,
      environmentId: environment.id,
      jobId,
      computedAt,
      settings,
      inputs: { scope, environmentKey: environment.key, variations, metrics, exposures, sums },
      outputs,
    };
    await snapshots.save(snapshot);
    this.options.changes.announce({
      id: snapshot.id,
      projectId: project.id,
      resourceType: 'results',
      resourceKey: experiment.key,
      action: 'results.updated',
    });
    if (experiment.status === 'running' && ended.reached && !previous?.outputs.health.ended.reached) {
      await this.announceEnd(project, experiment, settings, snapshot);
    }
    return snapshot.id;
  }

  private async analysedMetrics(
    project: Project,
    experiment: ExperimentDocument,
    settings: AnalysisSettings,
  ): Promise<SnapshotInputs['metrics']> {
    const roles: [MetricRole, string[]][] = [
      ['primary', experiment.metrics.primary],
      ['secondary', experiment.metrics.secondary],
      ['guardrail', experiment.metrics.guardrail],
    ];
    const analysed: SnapshotInputs['metrics'] = [];
    for (const [role, keys] of roles) {
      for (const key of keys) {
        const record = await this.options.metrics.get(project, key);
        analysed.push({
          ...toAnalysedMetric(record.definition, settings),
          role,
          direction: record.definition.direction,
        });
      }
    }
    return analysed;
  }

  /** `experiment.ready` to webhooks (and the audit log); with `onEnd: stop`, also stops it. */
  private async announceEnd(
    project: Project,
    experiment: DefinitionRecord<ExperimentDocument>,
    settings: AnalysisSettings,
    snapshot: AnalysisSnapshot,
  ): Promise<void> {
    const { health } = snapshot.outputs;
    await this.options.changes.transaction(async ({ record }) => {
      await record({
        projectId: project.id,
        actor: { type: 'system', id: null },
        requestId: null,
        action: 'experiment.ready',
        resourceType: 'experiment',
        resourceId: experiment.id,
        resourceKey: experiment.key,
        before: null,
        after: {
          reason: health.ended.reason,
          units: health.units,
          plannedUnits: health.plannedUnits,
          snapshotId: snapshot.id,
          summary: health.summary,
        },
        environments: 'none',
      });
    });
    if (settings.onEnd === 'stop') {
      await this.options.experiments.stop(
        project,
        experiment.key,
        {
          outcome: 'inconclusive',
          reason:
            health.ended.reason === 'planned_units'
              ? 'Stopped automatically: reached its planned sample size.'
              : 'Stopped automatically: reached its end date.',
          rollout: false,
        },
        experiment.version,
        { principal: undefined, requestId: snapshot.jobId ?? snapshot.id },
      );
    }
  }

  /** The latest results; with a dimension, broken down by that first-exposure attribute. */
  async results(
    project: Project,
    experimentKey: string,
    environmentKey = 'production',
    dimension?: string,
  ): Promise<Results> {
    await this.options.experiments.get(project, experimentKey);
    const environment = await this.options.projects.environmentByKey(project, environmentKey);
    const snapshot = (await this.snapshots.latest(project.id, experimentKey, environment.id)) as
      | AnalysisSnapshot
      | undefined;
    if (!snapshot) {
      throw new NotFoundError(
        `"${experimentKey}" has no results in ${environmentKey} yet. Run an analysis: POST /api/v1/projects/${project.key}/experiments/${experimentKey}/analysis with {"environment": "${environmentKey}"}, then follow the job it returns.`,
      );
    }
    const { inputs, outputs, settings } = snapshot;
    let metrics = outputs.metrics;
    if (dimension !== undefined) {
      // Computed on read from the snapshot's own period and metric definitions, so the breakdown
      // describes exactly the data the snapshot does.
      const sums = await this.options.queries.dimensionSums(inputs.scope, inputs.metrics, dimension);
      metrics = metrics.map((metric, index) => ({
        ...metric,
        dimension: computeDimension(
          settings,
          inputs.variations,
          metricInputOf(inputs.metrics[index] as SnapshotInputs['metrics'][number]),
          dimension,
          sums[index]?.values ?? [],
        ),
      }));
    }
    return {
      snapshotId: snapshot.id,
      computedAt: snapshot.computedAt,
      environment: environment.key,
      period: { startAt: inputs.scope.startAt ?? null, endAt: inputs.scope.endAt },
      settings,
      health: outputs.health,
      metrics,
    };
  }

  /**
   * Queues an analysis for every running experiment whose latest results (in production, and in
   * each environment it has results in) are older than its refresh interval. Idempotent: several
   * workers ticking at once queue each analysis once (an active job is reused).
   */
  async refreshDue(): Promise<number> {
    const { jobs, snapshots } = this;
    const { projects, experiments } = this.options;
    let queued = 0;
    let after: string | undefined;
    const now = Date.parse(this.now());
    for (;;) {
      const page = await projects.listAll({ limit: 100, ...(after !== undefined && { after }) });
      for (const project of page) {
        const running = await experiments.list(project, { status: ['running'] });
        for (const experiment of running) {
          const settings = analysisSettingsOf(experiment.definition);
          const environments = await projects.listEnvironments(project);
          const withResults = new Set(await snapshots.environmentsOf(project.id, experiment.key));
          for (const environment of environments) {
            if (environment.key !== 'production' && !withResults.has(environment.id)) continue;
            const latest = await snapshots.latest(project.id, experiment.key, environment.id);
            if (latest && now - Date.parse(latest.computedAt) < settings.refreshMinutes * MINUTE_MS) continue;
            if (await jobs.findActive(project.id, experiment.key, environment.id)) continue;
            await this.requestAnalysis(project, experiment.key, environment.key);
            queued += 1;
          }
        }
      }
      if (page.length < 100) return queued;
      after = page[page.length - 1]?.key;
    }
  }
}

/** Exposures count up to the job's start, or up to the stop of a stopped experiment. */
function analysisEnd(experiment: DefinitionRecord<ExperimentDocument>, now: string): string {
  const lastPhase = experiment.definition.phases.at(-1);
  if (experiment.status !== 'running' && lastPhase?.stoppedAt)
    return new Date(lastPhase.stoppedAt).toISOString();
  return now;
}

function endingOf(
  settings: AnalysisSettings,
  units: number,
  now: string,
): { reached: boolean; reason: 'end_date' | 'planned_units' | null } {
  if (settings.plannedUnits !== undefined && units >= settings.plannedUnits)
    return { reached: true, reason: 'planned_units' };
  if (settings.endAt !== undefined && Date.parse(settings.endAt) <= Date.parse(now))
    return { reached: true, reason: 'end_date' };
  return { reached: false, reason: null };
}

export function toAnalysedMetric(metric: Metric, settings: AnalysisSettings): AnalysedMetric {
  return {
    key: metric.key,
    type: metric.type,
    numerator: metric.numerator,
    ...(metric.denominator && { denominator: metric.denominator }),
    delayHours: metric.conversionWindow?.delayHours ?? 0,
    ...(metric.conversionWindow?.windowHours !== undefined && {
      windowHours: metric.conversionWindow.windowHours,
    }),
    ...(metric.capping && { capping: metric.capping }),
    // CUPED's covariate is a per-unit value of the same metric; ratios have no single per-unit value.
    ...(settings.cuped && metric.type !== 'ratio' && { covariateDays: settings.cupedWindowDays }),
  };
}

function metricInputOf(metric: SnapshotInputs['metrics'][number]): Omit<MetricInput, 'sums' | 'daily'> {
  return {
    key: metric.key,
    role: metric.role,
    type: metric.type,
    direction: metric.direction,
    cuped: metric.covariateDays !== undefined,
  };
}
