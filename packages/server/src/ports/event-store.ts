/**
 * @module ports/event-store
 * Where events end up. Writes are idempotent: an event already stored (same environment, id and
 * time) is skipped, so at-least-once delivery from the log plus this store gives exactly-once rows.
 * The environment is part of the identity: ids are chosen by clients, and one project's events must
 * never pass for duplicates of another's.
 */
import type { StoredEvent } from './stored-event.js';

export interface EventStore {
  /**
   * Stores, in one transaction, the events not stored yet; returns how many of each batch were new
   * (group commit writes several requests' batches at once and answers each with its own count).
   */
  insertBatches(batches: readonly (readonly StoredEvent[])[]): Promise<number[]>;
  /**
   * Drops whole days of events before the day of `cutoff` (UTC); returns rows or partitions dropped.
   * Whole days on every store, so retention means the same thing on SQLite and PostgreSQL.
   */
  dropBefore(cutoff: Date): Promise<number>;
  count(filter?: { environmentId?: string }): Promise<number>;
  /** Deletes every event of a project (the project itself is being deleted); returns how many. */
  deleteProject(projectId: string): Promise<number>;
  /**
   * Whether a failed insert was the database refusing the data itself (it will refuse it again),
   * rather than being unavailable (worth retrying). The writer sets such events aside.
   */
  isDataRejection(error: unknown): boolean;
}
