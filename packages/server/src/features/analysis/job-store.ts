/**
 * @module features/analysis/job-store
 * Analysis jobs as the database records them: what people poll (`GET .../jobs/{id}`), and the
 * lock that keeps two workers from analysing one experiment at once (a unique index on running
 * jobs per experiment and environment; see migration 2026-11-29-005).
 */
import type { Kysely, Selectable } from 'kysely';
import type { AnalysisJobStatus, AnalysisJobsTable, Database } from '../../adapters/sql/database.js';
import { isUniqueViolation } from '../../adapters/sql/unique-violation.js';

export type JobStatus = AnalysisJobStatus;

export interface AnalysisJob {
  id: string;
  projectId: string;
  type: string;
  experimentKey: string;
  environmentId: string;
  status: JobStatus;
  progress: number;
  attempts: number;
  error: string | null;
  snapshotId: string | null;
  createdAt: string;
  updatedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

/**
 * `claimed`: this worker runs it now; `busy`: another job of the same experiment runs; `taken`:
 * this very job already runs elsewhere (a duplicate delivery); `gone`: finished or unknown.
 */
export type ClaimOutcome = 'claimed' | 'busy' | 'taken' | 'gone';

export interface JobStore {
  /** A new queued job; when one of the same experiment and environment already waits, that one. */
  create(
    job: Pick<AnalysisJob, 'id' | 'projectId' | 'type' | 'experimentKey' | 'environmentId'>,
    now: string,
  ): Promise<AnalysisJob>;
  get(id: string): Promise<AnalysisJob | undefined>;
  /** A queued or running job of this experiment and environment, if any. */
  findActive(
    projectId: string,
    experimentKey: string,
    environmentId: string,
  ): Promise<AnalysisJob | undefined>;
  /**
   * Marks the job running (one more attempt). `busy` when another job of the same experiment runs
   * (and has shown progress since `staleBefore`); `gone` when the job is finished or unknown.
   * A running job silent since `staleBefore` lost its worker: it is failed, or re-claimed if it is
   * this one (the queue delivered it again). With `retry` (the queue retries this job after its
   * previous attempt threw) a running state is that attempt's leftover (the database was
   * unreachable when it tried to record the failure) and is claimed at once.
   */
  claim(id: string, now: string, staleBefore: string, options?: { retry?: boolean }): Promise<ClaimOutcome>;
  progress(id: string, progress: number, now: string): Promise<void>;
  succeed(id: string, snapshotId: string, now: string): Promise<void>;
  /** A transient failure: back to queued, to be retried (or failed, if a newer job already waits). */
  requeue(id: string, error: string, now: string): Promise<void>;
  fail(id: string, error: string, now: string): Promise<void>;
}

function toJob(row: Selectable<AnalysisJobsTable>): AnalysisJob {
  return {
    id: row.id,
    projectId: row.project_id,
    type: row.type,
    experimentKey: row.experiment_key,
    environmentId: row.environment_id,
    status: row.status,
    progress: Number(row.progress),
    attempts: Number(row.attempts),
    error: row.error,
    snapshotId: row.snapshot_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}

export class KyselyJobStore implements JobStore {
  constructor(private readonly db: Kysely<Database>) {}

  async create(
    job: Pick<AnalysisJob, 'id' | 'projectId' | 'type' | 'experimentKey' | 'environmentId'>,
    now: string,
  ): Promise<AnalysisJob> {
    const row = {
      id: job.id,
      project_id: job.projectId,
      type: job.type,
      experiment_key: job.experimentKey,
      environment_id: job.environmentId,
      status: 'queued' as const,
      progress: 0,
      attempts: 0,
      error: null,
      snapshot_id: null,
      created_at: now,
      updated_at: now,
      started_at: null,
      finished_at: null,
    };
    try {
      await this.db.insertInto('analysis_jobs').values(row).execute();
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const waiting = await this.findActive(job.projectId, job.experimentKey, job.environmentId);
      if (waiting) return waiting;
      throw error;
    }
    return toJob(row);
  }

  async get(id: string): Promise<AnalysisJob | undefined> {
    const row = await this.db.selectFrom('analysis_jobs').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toJob(row);
  }

  async findActive(projectId: string, experimentKey: string, environmentId: string) {
    const row = await this.db
      .selectFrom('analysis_jobs')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('experiment_key', '=', experimentKey)
      .where('environment_id', '=', environmentId)
      .where('status', 'in', ['queued', 'running'])
      .orderBy('created_at', 'desc')
      .executeTakeFirst();
    return row && toJob(row);
  }

  async claim(
    id: string,
    now: string,
    staleBefore: string,
    { retry = false }: { retry?: boolean } = {},
  ): Promise<ClaimOutcome> {
    const job = await this.get(id);
    if (!job || job.status === 'succeeded' || job.status === 'failed') return 'gone';
    if (job.status === 'running' && job.updatedAt >= staleBefore && !retry) return 'taken';
    await this.db
      .updateTable('analysis_jobs')
      .set({
        status: 'failed',
        error: 'The worker running it stopped responding.',
        finished_at: now,
        updated_at: now,
      })
      .where('project_id', '=', job.projectId)
      .where('experiment_key', '=', job.experimentKey)
      .where('environment_id', '=', job.environmentId)
      .where('status', '=', 'running')
      .where('updated_at', '<', staleBefore)
      .where('id', '<>', id)
      .execute();
    try {
      const result = await this.db
        .updateTable('analysis_jobs')
        .set((eb) => ({
          status: 'running',
          attempts: eb('attempts', '+', 1),
          progress: 0,
          error: null,
          started_at: now,
          updated_at: now,
        }))
        .where('id', '=', id)
        .where((eb) =>
          eb.or([
            eb('status', '=', 'queued'),
            retry
              ? eb('status', '=', 'running')
              : eb.and([eb('status', '=', 'running'), eb('updated_at', '<', staleBefore)]),
          ]),
        )
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1 ? 'claimed' : 'busy';
    } catch (error) {
      if (isUniqueViolation(error)) return 'busy';
      throw error;
    }
  }

  async progress(id: string, progress: number, now: string): Promise<void> {
    await this.db
      .updateTable('analysis_jobs')
      .set({ progress, updated_at: now })
      .where('id', '=', id)
      .where('status', '=', 'running')
      .execute();
  }

  async succeed(id: string, snapshotId: string, now: string): Promise<void> {
    await this.db
      .updateTable('analysis_jobs')
      .set({
        status: 'succeeded',
        progress: 1,
        snapshot_id: snapshotId,
        error: null,
        finished_at: now,
        updated_at: now,
      })
      .where('id', '=', id)
      .execute();
  }

  async requeue(id: string, error: string, now: string): Promise<void> {
    try {
      await this.db
        .updateTable('analysis_jobs')
        .set({ status: 'queued', error, updated_at: now })
        .where('id', '=', id)
        .where('status', 'in', ['queued', 'running'])
        .execute();
    } catch (uniqueError) {
      if (!isUniqueViolation(uniqueError)) throw uniqueError;
      // A newer request already waits and will do the work.
      await this.fail(id, `${error} A newer analysis was requested meanwhile and replaces this one.`, now);
    }
  }

  async fail(id: string, error: string, now: string): Promise<void> {
    await this.db
      .updateTable('analysis_jobs')
      .set({ status: 'failed', error, finished_at: now, updated_at: now })
      .where('id', '=', id)
      .execute();
  }
}
