/**
 * @module features/events/event-log
 * The durable hand-off between ingestion and the events store. `append` resolves only once the
 * events are durable (committed, or acknowledged by the replicated log); the API answers 202 only
 * after that. Implementations: direct group commit (embedded) and NATS JetStream (production).
 */
import type { StoredEvent } from './stored-event.js';

export interface AppendResult {
  /** Events the log recognised as already appended (same event id). */
  duplicates: number;
}

export interface EventLog {
  append(events: readonly StoredEvent[]): Promise<AppendResult>;
  close(): Promise<void>;
}

/** Thrown when the log cannot make events durable now; the API answers 503 with Retry-After. */
export class EventLogUnavailableError extends Error {
  override name = 'EventLogUnavailableError';
}

/** The writer's side of the log: batches to commit, acknowledged only after the commit. */
export interface EventSource {
  next(
    max: number,
    waitMs: number,
  ): Promise<{
    events: StoredEvent[];
    /**
     * Trace contexts (W3C `traceparent`/`tracestate` headers) the events arrived with, when the
     * API was tracing: the writer's commit continues the first and links the others.
     */
    traces?: readonly Readonly<Record<string, string>>[];
    ack(): void;
    retry(delayMs: number): void;
    /** Still working on it: keeps the log from redelivering the batch while it takes long. */
    inProgress(): void;
  }>;
  pending(): Promise<number>;
  /**
   * Keeps events the store refuses as data somewhere durable, out of the writer's way; resolves
   * once they are kept (the batch is acknowledged only after that).
   */
  deadLetter(events: readonly StoredEvent[], reason: string): Promise<void>;
  /** Stops reading from the log. */
  close?(): Promise<void>;
}
