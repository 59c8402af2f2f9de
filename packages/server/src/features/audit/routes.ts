/**
 * @module features/audit/routes
 * `/api/v1/projects/{projectKey}/audit`: the project's change history, newest first; secrets in
 * it (webhook URLs) are redacted for roles that may not manage them (see redaction.ts).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ProjectParams, Timestamp } from '../../http/api-schemas.js';
import { ValidationError } from '../../http/errors.js';
import { decodeCursor, PageQuery, pageResponse, toPage } from '../../http/pagination.js';
import { currentProjectAccess } from '../access/request-context.js';
import type { AuditLog } from './audit-log.js';
import { type AuditRedactions, auditRecordFor } from './redaction.js';

const AuditRecordResponse = z.object({
  id: z.string(),
  actor: z.object({ type: z.enum(['user', 'api_key', 'system']), id: z.string().nullable() }),
  action: z.string(),
  resourceType: z.string(),
  resourceId: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  requestId: z.string().nullable(),
  createdAt: Timestamp,
});

const AuditQuery = PageQuery.extend({
  resourceType: z.string().max(50).optional(),
  resourceId: z.string().max(100).optional(),
  actorType: z.enum(['user', 'api_key', 'system']).optional(),
  actorId: z.string().max(100).optional(),
  since: z.iso.datetime({ offset: true }).optional().describe('Records made at or after this time'),
  until: z.iso.datetime({ offset: true }).optional().describe('Records made before this time'),
});

export interface AuditRoutesOptions {
  audit: Pick<AuditLog, 'list'>;
  /** Secrets to hide from roles that may not manage them, by resource type. */
  redactions?: AuditRedactions;
}

export const auditRoutes: FastifyPluginAsyncZod<AuditRoutesOptions> = async (
  app,
  { audit, redactions = {} },
) => {
  app.get(
    '/projects/:projectKey/audit',
    {
      config: { access: { scope: 'project', permission: 'read' } },
      schema: {
        tags: ['audit'],
        summary: 'Who changed what: audit records, newest first',
        params: ProjectParams,
        querystring: AuditQuery,
        response: { 200: pageResponse(AuditRecordResponse) },
      },
    },
    async (request) => {
      const { limit, cursor, resourceType, resourceId, actorType, actorId, since, until } = request.query;
      const before = decodeCursor(cursor);
      if (before !== undefined && typeof before !== 'number') {
        throw new ValidationError('The cursor is not valid for the audit log.');
      }
      const { project, role } = currentProjectAccess(request);
      const rows = await audit.list({
        projectId: project.id,
        resourceType,
        resourceId,
        actorType,
        actorId,
        since: since === undefined ? undefined : new Date(since).toISOString(),
        until: until === undefined ? undefined : new Date(until).toISOString(),
        before,
        limit: limit + 1,
      });
      const visible = rows.map((record) => auditRecordFor(record, role, redactions));
      return toPage(visible, limit, (record) => record.sequence);
    },
  );
};
