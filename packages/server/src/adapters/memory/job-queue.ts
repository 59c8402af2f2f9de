/**
 * @module adapters/memory/job-queue
 * The embedded job queue: jobs run in this process, a few at a time, retried with exponential
 * backoff. Nothing survives a restart, which the embedded mode accepts: a lost analysis is
 * requested again by the next scheduled refresh.
 */
import { type JobHandler, type JobQueue, PermanentJobError, type QueuedJob } from '../../ports/job-queue.js';

export interface MemoryJobQueueOptions {
  maxAttempts?: number;
  /** Delay before the first retry; doubles for each further one. */
  backoffMs?: number;
  /** Jobs running at once. */
  concurrency?: number;
  /** Told about every failed attempt (logging). */
  onFailure?: (job: QueuedJob, error: unknown, willRetry: boolean) => void;
}

interface Pending {
  job: QueuedJob;
  attempt: number;
}

export class MemoryJobQueue implements JobQueue {
  private readonly pending: Pending[] = [];
  private readonly running = new Set<Promise<void>>();
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private handler: JobHandler | undefined;
  private closed = false;
  private readonly maxAttempts: number;
  private readonly backoffMs: number;
  private readonly concurrency: number;

  constructor(private readonly options: MemoryJobQueueOptions = {}) {
    this.maxAttempts = options.maxAttempts ?? 3;
    this.backoffMs = options.backoffMs ?? 5_000;
    this.concurrency = options.concurrency ?? 1;
  }

  async enqueue(job: QueuedJob): Promise<void> {
    if (this.closed) throw new Error('the job queue is closed');
    this.pending.push({ job, attempt: 1 });
    this.drain();
  }

  process(handler: JobHandler): void {
    this.handler = handler;
    this.drain();
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.retryTimers) clearTimeout(timer);
    this.retryTimers.clear();
    await Promise.all(this.running);
  }

  private drain(): void {
    const handler = this.handler;
    if (!handler || this.closed) return;
    while (this.running.size < this.concurrency) {
      const next = this.pending.shift();
      if (!next) return;
      const run: Promise<void> = this.attempt(handler, next).finally(() => {
        this.running.delete(run);
        this.drain();
      });
      this.running.add(run);
    }
  }

  private async attempt(handler: JobHandler, { job, attempt }: Pending): Promise<void> {
    try {
      await handler(job, { attempt, maxAttempts: this.maxAttempts });
    } catch (error) {
      const willRetry = !(error instanceof PermanentJobError) && attempt < this.maxAttempts && !this.closed;
      this.options.onFailure?.(job, error, willRetry);
      if (!willRetry) return;
      const timer = setTimeout(
        () => {
          this.retryTimers.delete(timer);
          this.pending.push({ job, attempt: attempt + 1 });
          this.drain();
        },
        this.backoffMs * 2 ** (attempt - 1),
      );
      timer.unref();
      this.retryTimers.add(timer);
    }
  }
}
