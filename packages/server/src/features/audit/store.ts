/**
 * @module features/audit/store
 * Append-only audit log. There is deliberately no update or delete.
 */
import type { Kysely, Selectable } from 'kysely';
import type { AuditLogTable, Database } from '../../adapters/sql/database.js';
import type { ActorType, AuditEntry, AuditRecord } from '../../domain/audit.js';

export interface AuditQuery {
  projectId?: string;
  resourceType?: string;
  resourceId?: string;
  actorType?: ActorType;
  actorId?: string;
  /** Records made at or after this ISO-8601 UTC time. */
  since?: string;
  /** Records made before this ISO-8601 UTC time. */
  until?: string;
  /** Newest first; `before` is the last sequence of the previous page. */
  before?: number;
  limit: number;
}

export interface AuditStore {
  record(entry: AuditEntry & { id: string; now: string }): Promise<AuditRecord>;
  list(query: AuditQuery): Promise<AuditRecord[]>;
}

export class KyselyAuditStore implements AuditStore {
  constructor(private readonly db: Kysely<Database>) {}

  async record(entry: AuditEntry & { id: string; now: string }): Promise<AuditRecord> {
    const row = await this.db
      .insertInto('audit_log')
      .values({
        id: entry.id,
        project_id: entry.projectId,
        actor_type: entry.actor.type,
        actor_id: entry.actor.id,
        action: entry.action,
        resource_type: entry.resourceType,
        resource_id: entry.resourceId,
        before: entry.before === undefined ? null : JSON.stringify(entry.before),
        after: entry.after === undefined ? null : JSON.stringify(entry.after),
        request_id: entry.requestId,
        created_at: entry.now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toAuditRecord(row);
  }

  async list(query: AuditQuery): Promise<AuditRecord[]> {
    let select = this.db.selectFrom('audit_log').selectAll().orderBy('sequence', 'desc').limit(query.limit);
    if (query.projectId !== undefined) select = select.where('project_id', '=', query.projectId);
    if (query.resourceType !== undefined) select = select.where('resource_type', '=', query.resourceType);
    if (query.resourceId !== undefined) select = select.where('resource_id', '=', query.resourceId);
    if (query.actorType !== undefined) select = select.where('actor_type', '=', query.actorType);
    if (query.actorId !== undefined) select = select.where('actor_id', '=', query.actorId);
    if (query.since !== undefined) select = select.where('created_at', '>=', query.since);
    if (query.until !== undefined) select = select.where('created_at', '<', query.until);
    if (query.before !== undefined) select = select.where('sequence', '<', query.before);
    return (await select.execute()).map(toAuditRecord);
  }
}

function toAuditRecord(row: Selectable<AuditLogTable>): AuditRecord {
  return {
    id: row.id,
    sequence: row.sequence,
    projectId: row.project_id,
    actor: { type: row.actor_type as ActorType, id: row.actor_id },
    action: row.action,
    resourceType: row.resource_type,
    resourceId: row.resource_id,
    before: row.before === null ? null : JSON.parse(row.before),
    after: row.after === null ? null : JSON.parse(row.after),
    requestId: row.request_id,
    createdAt: row.created_at,
  };
}
