/**
 * @module adapters/memory/scheduler
 * The in-process scheduler for periodic maintenance (event retention, expired sessions). Every job
 * it runs is idempotent, so several worker processes each running it need no coordination; a
 * failing run is logged and retried at the next tick, never thrown into the process.
 */
import type { Logger } from 'pino';

export interface ScheduledJob {
  name: string;
  everyMs: number;
  run(): Promise<unknown>;
}

export class Scheduler {
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly logger: Logger) {}

  /** Runs the job now, then every `everyMs`; overlapping runs of one job are skipped. */
  start(job: ScheduledJob): void {
    let busy = false;
    const tick = () => {
      if (busy) return;
      busy = true;
      const run = job
        .run()
        .then(
          (outcome) => this.logger.debug({ job: job.name, outcome }, 'scheduled job done'),
          (error: unknown) =>
            this.logger.error({ err: error, job: job.name }, 'scheduled job failed; will retry'),
        )
        .finally(() => {
          busy = false;
          this.running.delete(run);
        });
      this.running.add(run);
    };
    tick();
    const timer = setInterval(tick, job.everyMs);
    timer.unref();
    this.timers.push(timer);
  }

  /** Stops scheduling and waits for runs in progress. */
  async stop(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    await Promise.all(this.running);
  }
}
