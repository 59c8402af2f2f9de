/**
 * @module features/events/event-writer
 * The writer worker: takes batches from the event log, commits them to the events store, and only
 * then acknowledges them. A crash between commit and ack redelivers the batch; the idempotent store
 * turns that at-least-once delivery into exactly-once rows.
 */
import type { Logger } from 'pino';
import type { EventSource } from '../../ports/event-log.js';
import type { EventStore, ExistingProjectsEventStore, LogBatchOutcome } from '../../ports/event-store.js';
import type { StoredEvent } from '../../ports/stored-event.js';

export type { EventSource };

import type { Telemetry } from '../../runtime/telemetry.js';
import { inSpanContinuing, SpanKind } from '../../runtime/trace-context.js';

export interface EventWriterOptions {
  source: EventSource;
  store: EventStore;
  /**
   * When given, batches are stored through it, leaving out (acknowledged, counted, logged) the
   * events whose project was deleted while they waited in the log; production passes the events
   * store itself. Without it, every event is stored through `store`.
   */
  existingProjectsOnly?: ExistingProjectsEventStore;
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
      const outcome = await inSpanContinuing(
        'events commit',
        batch.traces ?? [],
        {
          kind: SpanKind.CONSUMER,
          attributes: {
            'messaging.system': 'nats',
            'messaging.operation.type': 'process',
            'cleave.events': batch.events.length,
          },
        },
        async () => {
          try {
            return await this.insert(batch.events);
          } catch (error) {
            if (!store.isDataRejection(error)) throw error;
            return this.setAsideRefused(batch, error);
          }
        },
      );
      batch.ack();
      stopTimer();
      telemetry.writerRows.inc(outcome.inserted);
      telemetry.writerBatches.inc({ outcome: 'committed' });
      if (outcome.dropped > 0) {
        telemetry.writerDroppedDeletedProject.inc(outcome.dropped);
        logger.warn(
          { dropped: outcome.dropped, projects: outcome.deletedProjects },
          'dropped events of deleted projects that were still in the log',
        );
      }
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

  /**
   * The store refused a batch as data: without this, its messages would be redelivered and refused
   * forever, holding up every event committed with them. Halving finds the refused events in
   * about log2(n) commits per bad event; the rest are stored, the refused ones go to the source's
   * dead letters (logged and counted), and only then is the batch acknowledged. A failure that is
   * not about the data (the database went away meanwhile) propagates, and the batch is retried.
   */
  private async setAsideRefused(batch: Batch, firstError: unknown): Promise<LogBatchOutcome> {
    const { store, source, logger, telemetry } = this.options;
    const { events } = batch;
    const refused: { event: StoredEvent; reason: string }[] = [];
    const outcome: LogBatchOutcome = { inserted: 0, dropped: 0, deletedProjects: [] };
    const insert = async (part: readonly StoredEvent[], knownError?: unknown): Promise<void> => {
      let error = knownError;
      if (error === undefined) {
        // Many small commits can outlast the log's redelivery timeout (10 s).
        batch.inProgress();
        try {
          const stored = await this.insert(part);
          outcome.inserted += stored.inserted;
          outcome.dropped += stored.dropped;
          outcome.deletedProjects = [...new Set([...outcome.deletedProjects, ...stored.deletedProjects])];
          return;
        } catch (caught) {
          if (!store.isDataRejection(caught)) throw caught;
          error = caught;
        }
      }
      const [single] = part;
      if (part.length === 1 && single) {
        refused.push({ event: single, reason: error instanceof Error ? error.message : String(error) });
        return;
      }
      const half = Math.ceil(part.length / 2);
      await insert(part.slice(0, half));
      await insert(part.slice(half));
    };
    await insert(events, firstError);
    for (const { event, reason } of refused) await source.deadLetter([event], reason);
    telemetry.writerDeadLettered.inc(refused.length);
    logger.error(
      {
        events: events.length,
        refused: refused.length,
        examples: refused.slice(0, 5).map(({ event, reason }) => ({ eventId: event.eventId, reason })),
      },
      'the events store refused events as data; they were moved to the dead letters',
    );
    return outcome;
  }

  private async insert(events: readonly StoredEvent[]): Promise<LogBatchOutcome> {
    const { store, existingProjectsOnly } = this.options;
    if (existingProjectsOnly) return existingProjectsOnly.insertForExistingProjects(events);
    const [inserted = 0] = await store.insertBatches([events]);
    return { inserted, dropped: 0, deletedProjects: [] };
  }
}

type Batch = Awaited<ReturnType<EventSource['next']>>;

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
