/**
 * @module adapters/sql/group-commit-event-log
 * The embedded event log: no separate log, events are committed to the store before the API
 * answers. Concurrent requests are grouped into one transaction (group commit), so throughput
 * scales with concurrency instead of being bounded by one fsync per request.
 *
 * Here the log is the writer too, so it keeps the writer's metrics (rows committed, commits by
 * outcome, commit time) and `/metrics` means the same in both modes; its lag is always zero.
 */

import type { Counter, Histogram } from 'prom-client';
import { type AppendResult, type EventLog, EventLogUnavailableError } from '../../ports/event-log.js';
import type { EventStore } from '../../ports/event-store.js';
import type { StoredEvent } from '../../ports/stored-event.js';

/** The writer's metrics (`runtime/telemetry.ts` has them), which this log keeps in embedded mode. */
export interface WriterTelemetry {
  writerRows: Counter;
  writerBatches: Counter<'outcome'>;
  writerBatchSeconds: Histogram;
}

interface Pending {
  events: readonly StoredEvent[];
  resolve: (result: AppendResult) => void;
  reject: (error: Error) => void;
}

export class GroupCommitEventLog implements EventLog {
  private pending: Pending[] = [];
  private flushing: Promise<void> | undefined;
  private closed = false;

  private readonly maxEventsPerCommit: number;
  private readonly telemetry: WriterTelemetry | undefined;

  constructor(
    private readonly store: EventStore,
    options: {
      telemetry?: WriterTelemetry;
      /** Upper bound of events per transaction, so one commit never grows without limit. */
      maxEventsPerCommit?: number;
    } = {},
  ) {
    this.maxEventsPerCommit = options.maxEventsPerCommit ?? 20_000;
    this.telemetry = options.telemetry;
  }

  append(events: readonly StoredEvent[]): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new EventLogUnavailableError('The event log is closing.'));
    return new Promise((resolve, reject) => {
      this.pending.push({ events, resolve, reject });
      this.flushing ??= this.flushLoop();
    });
  }

  /** Commits whatever accumulated while the previous commit ran, until nothing is left. */
  private async flushLoop(): Promise<void> {
    // Let requests arriving in the same tick join the first commit.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.pending.length > 0) {
      const group: Pending[] = [];
      let size = 0;
      while (
        this.pending.length > 0 &&
        (group.length === 0 || size + (this.pending[0]?.events.length ?? 0) <= this.maxEventsPerCommit)
      ) {
        const next = this.pending.shift() as Pending;
        group.push(next);
        size += next.events.length;
      }
      const stopTimer = this.telemetry?.writerBatchSeconds.startTimer();
      try {
        const inserted = await this.store.insertBatches(group.map((entry) => entry.events));
        stopTimer?.();
        this.telemetry?.writerRows.inc(inserted.reduce((sum, count) => sum + count, 0));
        this.telemetry?.writerBatches.inc({ outcome: 'committed' });
        for (const [index, entry] of group.entries()) {
          entry.resolve({ duplicates: entry.events.length - (inserted[index] ?? 0) });
        }
      } catch (error) {
        this.telemetry?.writerBatches.inc({ outcome: 'failed' });
        const failure = new EventLogUnavailableError(
          `The events store is unavailable: ${error instanceof Error ? error.message : String(error)}`,
        );
        for (const entry of group) entry.reject(failure);
      }
    }
    this.flushing = undefined;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.flushing;
  }
}
