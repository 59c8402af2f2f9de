/**
 * @module ports/job-queue
 * Background jobs: at-least-once delivery to one handler, retries with backoff for transient
 * failures. The queue carries only a job's id and kind; what the job is and how it is doing live
 * in the database (so any API node can report on it). Implementations: in-process (embedded) and
 * BullMQ on Redis (production; several workers share the queue, each job goes to one of them).
 */

export interface QueuedJob {
  /** The job's id (its row in the database). */
  id: string;
  /** What kind of work it is, e.g. `experiment-analysis`. */
  type: string;
}

export interface JobAttempt {
  /** 1 for the first run, 2 for the first retry, … */
  attempt: number;
  maxAttempts: number;
}

export type JobHandler = (job: QueuedJob, attempt: JobAttempt) => Promise<void>;

/** Thrown by a handler for a failure that retrying cannot fix: the job is not retried. */
export class PermanentJobError extends Error {
  override name = 'PermanentJobError';
}

export interface JobQueue {
  /** Queues a job; resolves once the queue holds it (durably, for BullMQ). */
  enqueue(job: QueuedJob): Promise<void>;
  /**
   * Starts handing jobs to `handler` (worker processes only). A handler that rejects is retried
   * with backoff until `maxAttempts`, unless it rejects with {@link PermanentJobError}.
   */
  process(handler: JobHandler): void;
  /** Stops taking jobs and waits for those in progress. */
  close(): Promise<void>;
}
