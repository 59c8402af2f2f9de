/**
 * @module audit/audit-filters
 * The audit pages' filter inputs as the API's query: an actor choice (`user:<id>`, `api_key`,
 * `system`) and a date range of whole local days, the end day included; on the instance's page,
 * a project too.
 */
import type { AuditFilters, AuditRecord, InstanceAuditFilters } from './queries.js';

/** The kinds of object the filters offer (the API records these in a project's trail). */
export const AUDIT_RESOURCE_TYPES: readonly string[] = [
  'project',
  'environment',
  'member',
  'api_key',
  'flag',
  'experiment',
  'segment',
  'layer',
  'holdout',
  'metric',
  'webhook',
];

export interface AuditFilterInputs {
  resourceType: string | null;
  /** `user:<id>`, `api_key` or `system`; null for anyone. */
  actor: string | null;
  /** `YYYY-MM-DD` from a date input, or empty. */
  from: string;
  to: string;
}

export const NO_AUDIT_FILTERS: AuditFilterInputs = { resourceType: null, actor: null, from: '', to: '' };

export interface InstanceAuditFilterInputs extends AuditFilterInputs {
  /** A project's id (a deleted project has nothing else); null for every project. */
  projectId: string | null;
}

export const NO_INSTANCE_AUDIT_FILTERS: InstanceAuditFilterInputs = { ...NO_AUDIT_FILTERS, projectId: null };

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

export function instanceAuditFilters(inputs: InstanceAuditFilterInputs): InstanceAuditFilters {
  const filters: InstanceAuditFilters = auditFilters(inputs);
  if (inputs.projectId) filters.projectId = inputs.projectId;
  return filters;
}
