/**
 * @module features/events/retention-job
 * Drops events older than the retention period: whole day partitions on PostgreSQL, whole days of
 * rows on SQLite. Idempotent, so several workers running it at once do no harm.
 */
import type { Logger } from 'pino';
import type { EventsDerivedState } from '../../ports/analysis-queries.js';
import type { EventStore } from '../../ports/event-store.js';

export class RetentionJob {
  constructor(
    private readonly store: EventStore,
    private readonly retentionDays: number,
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
    /** The analysis' per-unit facts: those built from dropped events are forgotten with them. */
    private readonly derived: readonly Pick<EventsDerivedState, 'forgetEventsBefore'>[] = [],
  ) {}

  /** Returns how many partitions or rows were dropped. */
  async apply(): Promise<number> {
    const cutoff = new Date(this.now().getTime() - this.retentionDays * 86_400_000);
    const dropped = await this.store.dropBefore(cutoff);
    if (dropped > 0) {
      let forgotten = 0;
      for (const state of this.derived) forgotten += await state.forgetEventsBefore(cutoff);
      this.logger.info({ dropped, forgotten, cutoff: cutoff.toISOString() }, 'event retention applied');
    }
    return dropped;
  }
}
