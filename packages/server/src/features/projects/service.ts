/**
 * @module features/projects/service
 * Projects and environments: creating a project gives it the default environments and makes its
 * creator the owner, all in one transaction with the audit records.
 */
import type { ProjectRole } from '@cleave/core';
import type { SqlExecutor, Transactor } from '../../adapters/sql/transactor.js';
import { actorOf, type Principal } from '../../domain/principal.js';
import { DEFAULT_ENVIRONMENTS, type Environment, type Project } from '../../domain/project.js';
import { NotFoundError, VersionConflictError } from '../../http/errors.js';
import type { ProjectDirectory } from '../access/plugin.js';
import type { ChangeRecorder, EnvironmentDirectory } from '../changes/change-recorder.js';
import type { MemberService } from '../members/service.js';
import { KyselyProjectStore, type ProjectChange } from './store.js';

/** A project's environments read on `db` (a transaction of the caller's, for a consistent snapshot). */
export function readEnvironments(db: SqlExecutor, projectId: string): Promise<Environment[]> {
  return new KyselyProjectStore(db).listEnvironments(projectId);
}

/** The ids of a project's environments, for changes that touch every one of them. */
export const projectEnvironments: EnvironmentDirectory = {
  async environmentIdsOf(tx, projectId) {
    return (await new KyselyProjectStore(tx).listEnvironments(projectId)).map(
      (environment) => environment.id,
    );
  },
};

export interface ProjectWithEnvironments extends Project {
  environments: Environment[];
}

/** What a project holds outside its own tables (tracked events, analysis facts), removed with it. */
export interface ProjectData {
  deleteProject(projectId: string): Promise<unknown>;
}

export class ProjectService implements ProjectDirectory {
  constructor(
    private readonly options: {
      transactor: Transactor;
      changes: ChangeRecorder;
      members: MemberService;
      data: ProjectData;
    },
  ) {}

  private store(db: SqlExecutor = this.options.transactor.db): KyselyProjectStore {
    return new KyselyProjectStore(db);
  }

  async create(
    input: { key: string; name: string; description?: string },
    principal: Principal | undefined,
    requestId: string | null = null,
  ): Promise<ProjectWithEnvironments> {
    return this.options.changes.transaction(async ({ tx, record, now, newId }) => {
      const project = await new KyselyProjectStore(tx).create({
        id: newId(),
        key: input.key,
        name: input.name,
        description: input.description ?? '',
        now,
      });
      const environments: Environment[] = [];
      for (const [position, environment] of DEFAULT_ENVIRONMENTS.entries()) {
        environments.push(
          await new KyselyProjectStore(tx).createEnvironment({
            id: newId(),
            projectId: project.id,
            key: environment.key,
            name: environment.name,
            position,
            now,
          }),
        );
      }
      if (principal?.type === 'user') {
        await this.options.members.addOwner(tx, { projectId: project.id, userId: principal.userId, now });
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
    if (principal.type === 'user' && principal.isInstanceAdmin) return this.store().list(page);
    const ids =
      principal.type === 'user'
        ? await this.options.members.projectIdsOf(principal.userId)
        : [principal.projectId];
    const projects = await Promise.all(ids.map((id) => this.store().findById(id)));
    return projects
      .filter((project): project is Project => project !== undefined)
      .filter((project) => page.after === undefined || project.key > page.after)
      .sort((a, b) => a.key.localeCompare(b.key))
      .slice(0, page.limit);
  }

  async get(project: Project): Promise<ProjectWithEnvironments> {
    return { ...project, environments: await this.store().listEnvironments(project.id) };
  }

  async update(
    project: Project,
    change: ProjectChange,
    expectedVersion: number,
    principal: Principal | undefined,
    requestId: string | null,
  ): Promise<Project> {
    return this.options.changes.transaction(async ({ tx, record, now }) => {
      const updated = await new KyselyProjectStore(tx).update(project.id, change, expectedVersion, now);
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

  /**
   * Deletes the project with everything in it: definitions, keys, members, results, events. With
   * `expectedVersion`, only the version the caller read (409 otherwise). Open streams of the project
   * close on every node. Its audit records are kept, the deletion's own included (migration 014):
   * instance administrators read them at `GET /api/v1/audit?projectId=…`.
   */
  async delete(
    project: Project,
    principal: Principal | undefined,
    requestId: string | null,
    expectedVersion?: number,
  ): Promise<void> {
    if (expectedVersion !== undefined && expectedVersion !== project.version) {
      throw new VersionConflictError('The project was changed by someone else; reload and retry.', {
        expectedVersion,
        currentVersion: project.version,
      });
    }
    // Its data first: should the deletion stop half-way, the project is still there to delete again.
    await this.options.data.deleteProject(project.id);
    await this.options.changes.transaction(async ({ tx, record }) => {
      await record({
        projectId: project.id,
        actor: actorOf(principal),
        requestId,
        action: 'project.deleted',
        resourceType: 'project',
        resourceId: project.id,
        resourceKey: project.key,
        before: project,
        after: null,
        environments: 'none',
        revokes: [{ kind: 'project', projectId: project.id }],
      });
      await new KyselyProjectStore(tx).delete(project.id);
    });
    // Again, now that the project row is gone: the event writer may have stored late events of the
    // project since the first sweep. It reads (and on PostgreSQL locks) the project in its insert's
    // transaction, so whatever it stored has committed by now, and it stores nothing more.
    await this.options.data.deleteProject(project.id);
  }

  async createEnvironment(
    project: Project,
    input: { key: string; name: string },
    principal: Principal | undefined,
    requestId: string | null,
  ): Promise<Environment> {
    return this.options.changes.transaction(async ({ tx, record, now, newId }) => {
      const existing = await new KyselyProjectStore(tx).listEnvironments(project.id);
      const environment = await new KyselyProjectStore(tx).createEnvironment({
        id: newId(),
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
    return this.store().list(page);
  }

  async environmentByKey(project: Project, key: string): Promise<Environment> {
    const environment = (await this.store().listEnvironments(project.id)).find(
      (candidate) => candidate.key === key,
    );
    if (!environment)
      throw new NotFoundError(`Project "${project.key}" has no environment "${key}".`, { key });
    return environment;
  }

  async listEnvironments(project: Project, db?: SqlExecutor): Promise<Environment[]> {
    return this.store(db).listEnvironments(project.id);
  }

  // ProjectDirectory: what authorization needs to know about projects.
  findProjectByKey(key: string): Promise<Project | undefined> {
    return this.store().findByKey(key);
  }

  findProjectById(id: string): Promise<Project | undefined> {
    return this.store().findById(id);
  }

  async findEnvironmentById(projectId: string, environmentId: string): Promise<Environment | undefined> {
    return (await this.store().listEnvironments(projectId)).find(
      (environment) => environment.id === environmentId,
    );
  }

  roleOf(projectId: string, userId: string): Promise<ProjectRole | undefined> {
    return this.options.members.roleOf(projectId, userId);
  }
}
