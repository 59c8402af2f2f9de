/**
 * @module ports/event-store
 * Where events end up. Writes are idempotent: an event already stored (same environment, id and
 * time) is skipped, so at-least-once delivery from the log plus this store gives exactly-once rows.
 * The environment is part of the identity: ids are chosen by clients, and one project's events must
 * never pass for duplicates of another's.
 */
import type { StoredEvent } from './stored-event.js';

/** What became of a batch from the event log: stored, or dropped with its deleted project. */
export interface LogBatchOutcome {
  /** Events stored now (not stored before). */
  inserted: number;
  /** Events left out because their project no longer exists. */
  dropped: number;
  /** The deleted projects those events belonged to. */
  deletedProjects: string[];
}

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

/**
 * The writer's insert in production: every events store offers it beside `EventStore`, so
 * `eventStoreFor` returns both.
 */
export interface ExistingProjectsEventStore {
  /**
   * Stores one batch from the event log as `insertBatches` would, except the events whose project no
   * longer exists (deleted while they waited in the log), which are left out rather than written as
   * orphans nothing would ever delete. The projects are read in the insert's transaction and held
   * against deletion until it commits, so a project deletion running meanwhile either waits for the
   * commit (its sweep of the project's events, after the project row is gone, then removes them) or
   * has committed (and the events are left out).
   */
  insertForExistingProjects(events: readonly StoredEvent[]): Promise<LogBatchOutcome>;
}
