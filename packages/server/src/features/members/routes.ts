/**
 * @module features/members/routes
 * `/api/v1/projects/{projectKey}/members`: who has which role.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ProjectParams, Timestamp } from '../../http/api-schemas.js';
import { currentProject, currentProjectAccess } from '../access/request-context.js';
import { Email } from '../auth/schemas.js';
import type { MemberService } from './service.js';

const Role = z.enum(['owner', 'admin', 'editor', 'viewer']);

const MemberResponse = z.object({
  userId: z.string(),
  email: z.string(),
  name: z.string(),
  role: Role,
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

const PutMemberBody = z.object({ email: Email, role: Role });
const MemberParams = ProjectParams.extend({ userId: z.string().min(1).max(100) });

export const memberRoutes: FastifyPluginAsyncZod<{ members: MemberService }> = async (app, { members }) => {
  app.get(
    '/projects/:projectKey/members',
    {
      config: { access: { scope: 'project', permission: 'read' } },
      schema: {
        tags: ['members'],
        summary: 'Members and their roles',
        params: ProjectParams,
        response: { 200: z.object({ items: z.array(MemberResponse) }) },
      },
    },
    async (request) => ({ items: await members.list(currentProject(request)) }),
  );

  app.put(
    '/projects/:projectKey/members',
    {
      config: { access: { scope: 'project', permission: 'manage' } },
      schema: {
        tags: ['members'],
        summary: 'Add a person to the project or change their role',
        params: ProjectParams,
        body: PutMemberBody,
        response: { 200: MemberResponse },
      },
    },
    async (request) => {
      const access = currentProjectAccess(request);
      return members.put(access.project, request.body, access.role, request.principal, request.id);
    },
  );

  app.delete(
    '/projects/:projectKey/members/:userId',
    {
      config: { access: { scope: 'project', permission: 'manage' } },
      schema: {
        tags: ['members'],
        summary: 'Remove a person from the project',
        params: MemberParams,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const access = currentProjectAccess(request);
      await members.remove(access.project, request.params.userId, access.role, request.principal, request.id);
      return reply.status(204).send(null);
    },
  );
};
