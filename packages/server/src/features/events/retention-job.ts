/**
 * @module features/events/retention-job
 * Drops events older than the retention period, hourly: whole day partitions on PostgreSQL, rows
 * on SQLite. Idempotent, so several workers running it at once do no harm.
 */
import type { Logger } from 'pino';
import type { EventStore } from './event-store.js';

export class RetentionJob {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly store: EventStore,
    private readonly retentionDays: number,
    private readonly logger: Logger,
    private readonly intervalMs = 60 * 60 * 1000,
    private readonly now: () => Date = () => new Date(),
  ) {}

  start(): void {
    this.running = this.apply().then(() => {});
    this.timer = setInterval(() => {
      this.running = this.apply().then(() => {});
    }, this.intervalMs);
    this.timer.unref();
  }

  /** Returns how many partitions or rows were dropped. */
  async apply(): Promise<number> {
    const cutoff = new Date(this.now().getTime() - this.retentionDays * 86_400_000);
    try {
      const dropped = await this.store.dropBefore(cutoff);
      if (dropped > 0) this.logger.info({ dropped, cutoff: cutoff.toISOString() }, 'event retention applied');
      return dropped;
    } catch (error) {
      this.logger.error({ err: error }, 'event retention failed; will retry');
      return 0;
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
