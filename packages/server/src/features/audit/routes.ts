/**
 * @module features/audit/routes
 * `/api/v1/projects/{projectKey}/audit`: the project's change history, newest first; secrets in
 * it (webhook URLs) are redacted for roles that may not manage them (see redaction.ts).
 *
 * `/api/v1/audit`: the whole instance's history, for instance administrators only: the one way to
 * read the trail of a project that was deleted (its records outlive it; the project route can no
 * longer find it), filtered by `projectId`. Instance administrators act as owners of every project,
 * so they see records unredacted, as they would in each project's own log.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ProjectParams, Timestamp } from '../../http/api-schemas.js';
import { ValidationError } from '../../http/errors.js';
import { decodeCursor, PageQuery, pageResponse, toPage } from '../../http/pagination.js';
import { currentProjectAccess } from '../access/request-context.js';
import type { AuditLog, AuditQuery as AuditStoreQuery } from './audit-log.js';
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

const InstanceAuditRecordResponse = AuditRecordResponse.extend({
  projectId: z
    .string()
    .nullable()
    .describe('The project the change was made in; null for instance-wide changes'),
});

const AuditQuery = PageQuery.extend({
  resourceType: z.string().max(50).optional(),
  resourceId: z.string().max(100).optional(),
  actorType: z.enum(['user', 'api_key', 'system']).optional(),
  actorId: z.string().max(100).optional(),
  since: z.iso.datetime({ offset: true }).optional().describe('Records made at or after this time'),
  until: z.iso.datetime({ offset: true }).optional().describe('Records made before this time'),
});

const InstanceAuditQuery = AuditQuery.extend({
  projectId: z
    .string()
    .max(100)
    .optional()
    .describe(
      "Only this project's records, a deleted project's included (its id, from the `project.deleted` record)",
    ),
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
      const { project, role } = currentProjectAccess(request);
      const rows = await audit.list({ ...auditQueryOf(request.query), projectId: project.id });
      const visible = rows.map((record) => auditRecordFor(record, role, redactions));
      return toPage(visible, request.query.limit, (record) => record.sequence);
    },
  );

  app.get(
    '/audit',
    {
      config: { access: { scope: 'instance_admin' } },
      schema: {
        tags: ['audit'],
        summary:
          "Every project's audit records, deleted projects' included, newest first (instance administrators)",
        description:
          "A deleted project's records are kept: find its deletion with `resourceType=project`, then its whole trail with `projectId`.",
        querystring: InstanceAuditQuery,
        response: { 200: pageResponse(InstanceAuditRecordResponse) },
      },
    },
    async (request) => {
      const rows = await audit.list({ ...auditQueryOf(request.query), projectId: request.query.projectId });
      return toPage(rows, request.query.limit, (record) => record.sequence);
    },
  );
};

/** The store's query from the listing's filters and page: one more row than the page, to tell if more follow. */
function auditQueryOf(query: z.infer<typeof AuditQuery>): AuditStoreQuery {
  const { limit, cursor, resourceType, resourceId, actorType, actorId, since, until } = query;
  const before = decodeCursor(cursor);
  if (before !== undefined && typeof before !== 'number') {
    throw new ValidationError('The cursor is not valid for the audit log.');
  }
  return {
    resourceType,
    resourceId,
    actorType,
    actorId,
    since: since === undefined ? undefined : new Date(since).toISOString(),
    until: until === undefined ? undefined : new Date(until).toISOString(),
    before,
    limit: limit + 1,
  };
}
