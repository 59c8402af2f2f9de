/**
 * @module audit/audit-filters
 * The audit page's filter inputs as the API's query: an actor choice (`user:<id>`, `api_key`,
 * `system`) and a date range of whole local days, the end day included.
 */
import type { AuditFilters, AuditRecord } from './queries.js';

export interface AuditFilterInputs {
  resourceType: string | null;
  /** `user:<id>`, `api_key` or `system`; null for anyone. */
  actor: string | null;
  /** `YYYY-MM-DD` from a date input, or empty. */
  from: string;
  to: string;
}

function startOfLocalDay(date: string): Date | undefined {
  const [year, month, day] = date.split('-').map(Number);
  if (!year || !month || !day) return undefined;
  return new Date(year, month - 1, day);
}

export function auditFilters(inputs: AuditFilterInputs): AuditFilters {
  const filters: AuditFilters = {};
  if (inputs.resourceType) filters.resourceType = inputs.resourceType;
  if (inputs.actor?.startsWith('user:')) {
    filters.actorType = 'user';
    filters.actorId = inputs.actor.slice('user:'.length);
  } else if (inputs.actor) {
    filters.actorType = inputs.actor as AuditRecord['actor']['type'];
  }
  const from = startOfLocalDay(inputs.from);
  if (from) filters.since = from.toISOString();
  const to = startOfLocalDay(inputs.to);
  if (to) {
    // The end day is included: everything before the next day's start.
    to.setDate(to.getDate() + 1);
    filters.until = to.toISOString();
  }
  return filters;
}
