/**
 * @module features/audit/routes
 * `/api/v1/projects/{projectKey}/audit`: the project's change history, newest first.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ProjectParams, Timestamp } from '../../http/api-schemas.js';
import { ValidationError } from '../../http/errors.js';
import { decodeCursor, PageQuery, pageResponse, toPage } from '../../http/pagination.js';
import { currentProject } from '../access/request-context.js';
import type { AuditLog } from './audit-log.js';

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
});

export const auditRoutes: FastifyPluginAsyncZod<{ audit: Pick<AuditLog, 'list'> }> = async (
  app,
  { audit },
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
      const { limit, cursor, resourceType, resourceId } = request.query;
      const before = decodeCursor(cursor);
      if (before !== undefined && typeof before !== 'number') {
        throw new ValidationError('The cursor is not valid for the audit log.');
      }
      const rows = await audit.list({
        projectId: currentProject(request).id,
        resourceType,
        resourceId,
        before,
        limit: limit + 1,
      });
      return toPage(rows, limit, (record) => record.sequence);
    },
  );
};
