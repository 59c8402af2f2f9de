/**
 * @module features/projects/routes
 * `/api/v1/projects`: create, list, read, rename and delete projects; list and add environments.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { decodeCursor, toPage } from '../../http/pagination.js';
import { expectedVersion, setEtag } from '../../http/version-precondition.js';
import { currentPrincipal, currentProject } from '../access/request-context.js';
import {
  CreateEnvironmentBody,
  CreateProjectBody,
  DeleteProjectBody,
  EnvironmentList,
  EnvironmentResponse,
  ListProjectsQuery,
  ProjectDetailResponse,
  ProjectPage,
  ProjectParams,
  ProjectResponse,
  UpdateProjectBody,
} from './schemas.js';
import type { ProjectService } from './service.js';

export const projectRoutes: FastifyPluginAsyncZod<{ projects: ProjectService }> = async (
  app,
  { projects },
) => {
  app.post(
    '/projects',
    {
      config: { access: { scope: 'instance_admin' } },
      schema: {
        tags: ['projects'],
        summary: 'Create a project (with development, staging and production)',
        body: CreateProjectBody,
        response: { 201: ProjectDetailResponse },
      },
    },
    async (request, reply) => {
      const project = await projects.create(request.body, request.principal, request.id);
      setEtag(reply, project.version);
      return reply.status(201).send(project);
    },
  );

  app.get(
    '/projects',
    {
      config: { access: { scope: 'user' } },
      schema: {
        tags: ['projects'],
        summary: 'List the projects you can see',
        querystring: ListProjectsQuery,
        response: { 200: ProjectPage },
      },
    },
    async (request) => {
      const { limit, cursor } = request.query;
      const after = decodeCursor(cursor);
      const rows = await projects.listVisible(currentPrincipal(request), {
        after: after === undefined ? undefined : String(after),
        limit: limit + 1,
      });
      return toPage(rows, limit, (project) => project.key);
    },
  );

  app.get(
    '/projects/:projectKey',
    {
      config: { access: { scope: 'project', permission: 'read' } },
      schema: {
        tags: ['projects'],
        summary: 'A project and its environments',
        params: ProjectParams,
        response: { 200: ProjectDetailResponse },
      },
    },
    async (request, reply) => {
      const project = await projects.get(currentProject(request));
      setEtag(reply, project.version);
      return project;
    },
  );

  app.patch(
    '/projects/:projectKey',
    {
      config: { access: { scope: 'project', permission: 'own' } },
      schema: {
        tags: ['projects'],
        summary: 'Rename or describe a project',
        params: ProjectParams,
        body: UpdateProjectBody,
        response: { 200: ProjectResponse },
      },
    },
    async (request, reply) => {
      const { version, ...change } = request.body;
      const updated = await projects.update(
        currentProject(request),
        change,
        expectedVersion(request, version),
        request.principal,
        request.id,
      );
      setEtag(reply, updated.version);
      return updated;
    },
  );

  app.delete(
    '/projects/:projectKey',
    {
      config: { access: { scope: 'project', permission: 'own' } },
      schema: {
        tags: ['projects'],
        summary: 'Delete a project with everything in it: flags, experiments, results, keys and events',
        description:
          'Irreversible. SDK keys of the project stop working at once. Needs the version you read (body `version` or If-Match).',
        params: ProjectParams,
        body: DeleteProjectBody,
        response: { 204: z.null().describe('Deleted') },
      },
    },
    async (request, reply) => {
      const project = currentProject(request);
      await projects.delete(
        project,
        request.principal,
        request.id,
        expectedVersion(request, request.body?.version),
      );
      request.log.info({ project: project.key }, 'project deleted');
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/projects/:projectKey/environments',
    {
      config: { access: { scope: 'project', permission: 'read' } },
      schema: {
        tags: ['projects'],
        summary: 'Environments of a project',
        params: ProjectParams,
        response: { 200: EnvironmentList },
      },
    },
    async (request) => ({ items: await projects.listEnvironments(currentProject(request)) }),
  );

  app.post(
    '/projects/:projectKey/environments',
    {
      config: { access: { scope: 'project', permission: 'manage' } },
      schema: {
        tags: ['projects'],
        summary: 'Add an environment',
        params: ProjectParams,
        body: CreateEnvironmentBody,
        response: { 201: EnvironmentResponse },
      },
    },
    async (request, reply) => {
      const environment = await projects.createEnvironment(
        currentProject(request),
        request.body,
        request.principal,
        request.id,
      );
      return reply.status(201).send(environment);
    },
  );
};
