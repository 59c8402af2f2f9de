/**
 * @module adapters/redis/bullmq-job-queue
 * Background jobs on BullMQ (Redis): durable, shared by every worker process (each job goes to
 * one worker; a worker that dies mid-job has its job picked up again once its lock expires),
 * retried with exponential backoff. Completed and failed jobs are kept a while for inspection;
 * the database row is the record people read.
 */
import { Queue, UnrecoverableError, Worker } from 'bullmq';
import { type JobHandler, type JobQueue, PermanentJobError, type QueuedJob } from '../../ports/job-queue.js';

export interface BullMqJobQueueOptions {
  redisUrl: string;
  /** Queue name; tests use their own. */
  queueName?: string;
  /** Redis key prefix of every BullMQ key. */
  prefix?: string;
  maxAttempts?: number;
  /** Delay before the first retry; doubles for each further one. */
  backoffMs?: number;
  /** Jobs one worker process runs at once. */
  concurrency?: number;
  onFailure?: (job: QueuedJob, error: unknown, willRetry: boolean) => void;
}

const DAY_SECONDS = 24 * 60 * 60;

export class BullMqJobQueue implements JobQueue {
  private readonly queue: Queue<QueuedJob>;
  private worker: Worker<QueuedJob> | undefined;
  private readonly maxAttempts: number;

  constructor(private readonly options: BullMqJobQueueOptions) {
    this.maxAttempts = options.maxAttempts ?? 3;
    this.queue = new Queue<QueuedJob>(options.queueName ?? 'cleave-jobs', {
      connection: this.connection(),
      prefix: options.prefix ?? 'cleave:bull',
    });
    // Connection trouble is reported by the calls that need Redis; the emitter must not crash the process.
    this.queue.on('error', () => {});
  }

  async enqueue(job: QueuedJob): Promise<void> {
    await this.queue.add(job.type, job, {
      // Our id as BullMQ's: adding the same job twice (a retried request) queues it once.
      jobId: job.id,
      attempts: this.maxAttempts,
      backoff: { type: 'exponential', delay: this.options.backoffMs ?? 5_000 },
      removeOnComplete: { age: DAY_SECONDS },
      removeOnFail: { age: 7 * DAY_SECONDS },
    });
  }

  process(handler: JobHandler): void {
    if (this.worker) throw new Error('this queue already has a worker');
    this.worker = new Worker<QueuedJob>(
      this.queue.name,
      async (bullJob) => {
        const attempt = { attempt: bullJob.attemptsMade + 1, maxAttempts: this.maxAttempts };
        try {
          await handler(bullJob.data, attempt);
        } catch (error) {
          const permanent = error instanceof PermanentJobError;
          this.options.onFailure?.(bullJob.data, error, !permanent && attempt.attempt < attempt.maxAttempts);
          if (permanent) throw new UnrecoverableError(error.message);
          throw error;
        }
      },
      {
        connection: this.connection(),
        prefix: this.options.prefix ?? 'cleave:bull',
        concurrency: this.options.concurrency ?? 2,
      },
    );
    this.worker.on('error', () => {});
  }

  async close(): Promise<void> {
    await this.worker?.close();
    await this.queue.close();
  }

  /** Each BullMQ object opens its own connections; workers need blocking commands never to time out. */
  private connection() {
    return { url: this.options.redisUrl, maxRetriesPerRequest: null };
  }
}
