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
