/**
 * @module features/events/event-writer
 * The writer worker: takes batches from the event log, commits them to the events store, and only
 * then acknowledges them. A crash between commit and ack redelivers the batch; the idempotent store
 * turns that at-least-once delivery into exactly-once rows.
 */
import type { Logger } from 'pino';
import type { Telemetry } from '../../telemetry.js';
import type { StoredEvent } from './event.js';
import type { EventStore } from './event-store.js';

export interface EventSource {
  next(
    max: number,
    waitMs: number,
  ): Promise<{ events: StoredEvent[]; ack(): void; retry(delayMs: number): void }>;
  pending(): Promise<number>;
  /** Stops reading from the log. */
  close?(): Promise<void>;
}

export interface EventWriterOptions {
  source: EventSource;
  store: EventStore;
  logger: Logger;
  telemetry: Telemetry;
  /** Log messages per commit (each holds one ingested batch: up to 1,000 events, under 1 MiB). */
  maxMessagesPerCommit?: number;
  waitMs?: number;
  /** Wait before retrying after the store failed. */
  retryDelayMs?: number;
  /** Commits in flight at once (default 2). */
  concurrentCommits?: number;
}

export class EventWriter {
  private running = false;
  private loop: Promise<void> | undefined;
  private lagTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: EventWriterOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
    this.lagTimer = setInterval(() => {
      this.options.source.pending().then(
        (lag) => this.options.telemetry.writerLag.set(lag),
        () => {},
      );
    }, 2_000);
    this.lagTimer.unref();
  }

  /** Finishes the batch in hand (commit and ack), then stops. */
  async stop(): Promise<void> {
    this.running = false;
    clearInterval(this.lagTimer);
    await this.loop;
    await this.options.source.close?.();
  }

  /**
   * Keeps up to `concurrentCommits` commits in flight: while PostgreSQL writes one batch, the next
   * is fetched and decoded, so the database and this process work at the same time instead of
   * taking turns. Order between batches doesn't matter: the store is keyed, not sequenced.
   */
  private async run(): Promise<void> {
    const {
      source,
      logger,
      maxMessagesPerCommit = 16,
      waitMs = 500,
      retryDelayMs = 1_000,
      concurrentCommits = 2,
    } = this.options;
    const inFlight = new Set<Promise<void>>();
    while (this.running) {
      if (inFlight.size >= concurrentCommits) {
        await Promise.race(inFlight);
        continue;
      }
      let batch: Batch;
      try {
        batch = await source.next(maxMessagesPerCommit, waitMs);
      } catch (error) {
        logger.warn({ err: error }, 'event writer could not read the log; retrying');
        await delay(retryDelayMs);
        continue;
      }
      if (batch.events.length === 0) {
        batch.ack();
        continue;
      }
      const commit = this.commit(batch).finally(() => inFlight.delete(commit));
      inFlight.add(commit);
    }
    await Promise.all(inFlight);
  }

  private async commit(batch: Batch): Promise<void> {
    const { store, logger, telemetry, retryDelayMs = 1_000 } = this.options;
    const stopTimer = telemetry.writerBatchSeconds.startTimer();
    try {
      const [inserted = 0] = await store.insertBatches([batch.events]);
      batch.ack();
      stopTimer();
      telemetry.writerRows.inc(inserted);
      telemetry.writerBatches.inc({ outcome: 'committed' });
    } catch (error) {
      batch.retry(retryDelayMs);
      telemetry.writerBatches.inc({ outcome: 'failed' });
      logger.error(
        { err: error, events: batch.events.length },
        'event writer could not commit a batch; it will be redelivered',
      );
      await delay(retryDelayMs);
    }
  }
}

type Batch = Awaited<ReturnType<EventSource['next']>>;

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
