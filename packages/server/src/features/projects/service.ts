/**
 * @module features/projects/service
 * Projects and environments: creating a project gives it the default environments and makes its
 * creator the owner, all in one transaction with the audit records.
 */
import type { ProjectRole } from '@cleave/core';
import { actorOf, type Principal } from '../../domain/principal.js';
import { DEFAULT_ENVIRONMENTS, type Environment, type Project } from '../../domain/project.js';
import { NotFoundError } from '../../http/errors.js';
import { changeInTransaction, type ServiceContext } from '../../service-context.js';
import type { ProjectDirectory } from '../access/plugin.js';
import type { ProjectChange } from './store.js';

export interface ProjectWithEnvironments extends Project {
  environments: Environment[];
}

export class ProjectService implements ProjectDirectory {
  constructor(private readonly context: ServiceContext) {}

  async create(
    input: { key: string; name: string; description?: string },
    principal: Principal | undefined,
    requestId: string | null = null,
  ): Promise<ProjectWithEnvironments> {
    return changeInTransaction(this.context, async (stores, record, now) => {
      const project = await stores.projects.create({
        id: this.context.newId(),
        key: input.key,
        name: input.name,
        description: input.description ?? '',
        now,
      });
      const environments: Environment[] = [];
      for (const [position, environment] of DEFAULT_ENVIRONMENTS.entries()) {
        environments.push(
          await stores.projects.createEnvironment({
            id: this.context.newId(),
            projectId: project.id,
            key: environment.key,
            name: environment.name,
            position,
            now,
          }),
        );
      }
      if (principal?.type === 'user') {
        await stores.members.put({ projectId: project.id, userId: principal.userId, role: 'owner', now });
      }
      const created = { ...project, environments };
      await record({
        projectId: project.id,
        actor: actorOf(principal),
        requestId,
        action: 'project.created',
        resourceType: 'project',
        resourceId: project.id,
        resourceKey: project.key,
        before: null,
        after: created,
        environments: 'none',
      });
      return created;
    });
  }

  /** The projects a principal can see: all for instance administrators, else their memberships. */
  async listVisible(principal: Principal, page: { after?: string; limit: number }): Promise<Project[]> {
    if (principal.type === 'user' && principal.isInstanceAdmin)
      return this.context.stores.projects.list(page);
    const ids =
      principal.type === 'user'
        ? await this.context.stores.members.projectIdsOf(principal.userId)
        : [principal.projectId];
    const projects = await Promise.all(ids.map((id) => this.context.stores.projects.findById(id)));
    return projects
      .filter((project): project is Project => project !== undefined)
      .filter((project) => page.after === undefined || project.key > page.after)
      .sort((a, b) => a.key.localeCompare(b.key))
      .slice(0, page.limit);
  }

  async get(project: Project): Promise<ProjectWithEnvironments> {
    return { ...project, environments: await this.context.stores.projects.listEnvironments(project.id) };
  }

  async update(
    project: Project,
    change: ProjectChange,
    expectedVersion: number,
    principal: Principal | undefined,
    requestId: string | null,
  ): Promise<Project> {
    return changeInTransaction(this.context, async (stores, record, now) => {
      const updated = await stores.projects.update(project.id, change, expectedVersion, now);
      await record({
        projectId: project.id,
        actor: actorOf(principal),
        requestId,
        action: 'project.updated',
        resourceType: 'project',
        resourceId: project.id,
        resourceKey: project.key,
        before: project,
        after: updated,
        environments: 'none',
      });
      return updated;
    });
  }

  async createEnvironment(
    project: Project,
    input: { key: string; name: string },
    principal: Principal | undefined,
    requestId: string | null,
  ): Promise<Environment> {
    return changeInTransaction(this.context, async (stores, record, now) => {
      const existing = await stores.projects.listEnvironments(project.id);
      const environment = await stores.projects.createEnvironment({
        id: this.context.newId(),
        projectId: project.id,
        key: input.key,
        name: input.name,
        position: existing.length,
        now,
      });
      await record({
        projectId: project.id,
        actor: actorOf(principal),
        requestId,
        action: 'environment.created',
        resourceType: 'environment',
        resourceId: environment.id,
        resourceKey: environment.key,
        before: null,
        after: environment,
        environments: 'none',
      });
      return environment;
    });
  }

  /** Every project, by key (background jobs that visit each project). */
  async listAll(page: { after?: string; limit: number }): Promise<Project[]> {
    return this.context.stores.projects.list(page);
  }

  async environmentByKey(project: Project, key: string): Promise<Environment> {
    const environment = (await this.context.stores.projects.listEnvironments(project.id)).find(
      (candidate) => candidate.key === key,
    );
    if (!environment)
      throw new NotFoundError(`Project "${project.key}" has no environment "${key}".`, { key });
    return environment;
  }

  async listEnvironments(project: Project): Promise<Environment[]> {
    return this.context.stores.projects.listEnvironments(project.id);
  }

  // ProjectDirectory: what authorization needs to know about projects.
  findProjectByKey(key: string): Promise<Project | undefined> {
    return this.context.stores.projects.findByKey(key);
  }

  findProjectById(id: string): Promise<Project | undefined> {
    return this.context.stores.projects.findById(id);
  }

  async findEnvironmentById(projectId: string, environmentId: string): Promise<Environment | undefined> {
    return (await this.context.stores.projects.listEnvironments(projectId)).find(
      (environment) => environment.id === environmentId,
    );
  }

  roleOf(projectId: string, userId: string): Promise<ProjectRole | undefined> {
    return this.context.stores.members.roleOf(projectId, userId);
  }
}
