/**
 * @module features/audit/redaction
 * Audit records keep the whole before/after of a change, secrets of the resource included (a
 * webhook's URL often embeds a token). Every project member may read the audit log, so what may
 * hold a secret is shown whole only to roles that may manage that resource, and redacted for the
 * others (viewers, editors).
 */
import type { ProjectRole } from '../../adapters/sql/database.js';
import { roleAllows } from '../auth/permissions.js';
import { redactWebhook } from '../webhooks/url-redaction.js';
import type { AuditRecord } from './audit-record.js';

/** Per resource type: how a before/after state looks to those who may not see its secrets. */
const REDACTIONS: Record<string, (state: unknown) => unknown> = {
  webhook: redactWebhook,
};

export function auditRecordFor(record: AuditRecord, role: ProjectRole): AuditRecord {
  const redact = REDACTIONS[record.resourceType];
  // Webhooks, like every resource with secrets here, are managed with `manage`.
  if (!redact || roleAllows(role, 'manage')) return record;
  return { ...record, before: redact(record.before), after: redact(record.after) };
}
