/**
 * @module features/audit/audit-record
 * Who changed what, with the state before and after, written in the same transaction as the change.
 */

export type ActorType = 'user' | 'api_key' | 'system';

export interface Actor {
  type: ActorType;
  /** User or API key id; null for the system itself (bootstrap, scheduled jobs). */
  id: string | null;
}

export interface AuditEntry {
  projectId: string | null;
  actor: Actor;
  /** `resource.verb`, e.g. `flag.updated`. */
  action: string;
  resourceType: string;
  resourceId: string | null;
  before: unknown;
  after: unknown;
  requestId: string | null;
}

export interface AuditRecord extends AuditEntry {
  id: string;
  sequence: number;
  createdAt: string;
}
