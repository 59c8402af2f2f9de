/**
 * @module features/analysis/job-metrics
 * Times every attempt of an analysis job and counts the jobs that end in failure, around the
 * queue's handler, so the metrics hold whichever queue (in-process or BullMQ) runs the job.
 */
import type { Counter, Histogram } from 'prom-client';
import {
  type JobAttempt,
  type JobHandler,
  PermanentJobError,
  type QueuedJob,
} from '../../ports/job-queue.js';
import type { JobOutcome } from './service.js';

export interface JobMetrics {
  /** Seconds per attempt, by outcome: succeeded, retried (a transient failure) or failed (final). */
  jobSeconds: Histogram<'outcome'>;
  /** Jobs that ended failed: no retry follows. */
  jobFailures: Counter;
}

type Handler = (job: QueuedJob, attempt: JobAttempt) => Promise<JobOutcome>;

export function measuredJobHandler(handler: Handler, metrics: JobMetrics): JobHandler {
  return async (job, attempt) => {
    const stopTimer = metrics.jobSeconds.startTimer();
    const finished = (outcome: 'succeeded' | 'retried' | 'failed') => {
      stopTimer({ outcome });
      if (outcome === 'failed') metrics.jobFailures.inc();
    };
    let outcome: JobOutcome;
    try {
      outcome = await handler(job, attempt);
    } catch (error) {
      const final = error instanceof PermanentJobError || attempt.attempt >= attempt.maxAttempts;
      finished(final ? 'failed' : 'retried');
      throw error;
    }
    // A job another worker had, or that vanished, did no work worth a duration.
    if (outcome !== 'skipped') finished(outcome);
  };
}
