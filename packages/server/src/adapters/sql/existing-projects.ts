/**
 * @module adapters/sql/existing-projects
 * Splits a batch from the event log into the events of projects that still exist and the others,
 * for every events store's `insertForExistingProjects` (the stores differ only in how they read the
 * projects, and lock them, inside their own transaction).
 */
import type { LogBatchOutcome } from '../../ports/event-store.js';
import type { StoredEvent } from '../../ports/stored-event.js';

export function projectIdsOf(events: readonly StoredEvent[]): string[] {
  return [...new Set(events.map((event) => event.projectId))];
}

export function splitByExistingProjects(
  events: readonly StoredEvent[],
  existing: ReadonlySet<string>,
): { live: StoredEvent[]; dropped: Omit<LogBatchOutcome, 'inserted'> } {
  const live = events.filter((event) => existing.has(event.projectId));
  const deletedProjects = projectIdsOf(events).filter((projectId) => !existing.has(projectId));
  return { live, dropped: { dropped: events.length - live.length, deletedProjects } };
}
