/**
 * @module features/audit/redaction
 * Audit records keep the whole before/after of a change, secrets of the resource included (a
 * webhook's URL often embeds a token). Every project member may read the audit log, so what may
 * hold a secret is shown whole only to roles that may manage that resource, and redacted for the
 * others (viewers, editors). Each feature with secrets provides its redaction; the composition root
 * hands them in, so this feature depends on none of them.
 */
import type { ProjectRole } from '@cleave/core';
import type { AuditRecord } from '../../domain/audit.js';
import { roleAllows } from '../access/permissions.js';

/** Per resource type: how a before/after state looks to those who may not see its secrets. */
export type AuditRedactions = Readonly<Record<string, (state: unknown) => unknown>>;

export function auditRecordFor(
  record: AuditRecord,
  role: ProjectRole,
  redactions: AuditRedactions,
): AuditRecord {
  const redact = redactions[record.resourceType];
  // Every resource with secrets (webhooks, API keys) is managed with `manage`.
  if (!redact || roleAllows(role, 'manage')) return record;
  return { ...record, before: redact(record.before), after: redact(record.after) };
}
