/**
 * @module features/projects/store
 * Persistence of projects and their environments. Speaks domain types; rows stay inside.
 */
import type { Kysely, Selectable } from 'kysely';
import type { Database, EnvironmentsTable, ProjectsTable } from '../../adapters/sql/database.js';
import { isUniqueViolation } from '../../adapters/sql/unique-violation.js';
import type { Environment, Project } from '../../domain/project.js';
import { ConflictError, VersionConflictError } from '../../http/errors.js';

export interface NewProject {
  id: string;
  key: string;
  name: string;
  description: string;
  now: string;
}

export interface NewEnvironment {
  id: string;
  projectId: string;
  key: string;
  name: string;
  position: number;
  now: string;
}

export interface ProjectChange {
  name?: string;
  description?: string;
}

export interface ProjectStore {
  /** @throws ConflictError when the key is taken. */
  create(project: NewProject): Promise<Project>;
  findById(id: string): Promise<Project | undefined>;
  findByKey(key: string): Promise<Project | undefined>;
  /** Ordered by key; `after` is the last key of the previous page. */
  list(page: { after?: string; limit: number }): Promise<Project[]>;
  /** @throws VersionConflictError when `expectedVersion` is stale. */
  update(id: string, change: ProjectChange, expectedVersion: number, now: string): Promise<Project>;
  /** @throws ConflictError when the project already has an environment with this key. */
  createEnvironment(environment: NewEnvironment): Promise<Environment>;
  listEnvironments(projectId: string): Promise<Environment[]>;
  /** Deletes the project; everything that belongs to it goes with it (foreign keys cascade). */
  delete(id: string): Promise<boolean>;
}

export class KyselyProjectStore implements ProjectStore {
  constructor(private readonly db: Kysely<Database>) {}

  async create(project: NewProject): Promise<Project> {
    const row = {
      id: project.id,
      key: project.key,
      name: project.name,
      description: project.description,
      created_at: project.now,
      updated_at: project.now,
      version: 1,
    };
    try {
      await this.db.insertInto('projects').values(row).execute();
    } catch (error) {
      if (isUniqueViolation(error))
        throw new ConflictError(`A project with key "${project.key}" already exists.`);
      throw error;
    }
    return toProject(row);
  }

  async findById(id: string): Promise<Project | undefined> {
    const row = await this.db.selectFrom('projects').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toProject(row);
  }

  async findByKey(key: string): Promise<Project | undefined> {
    const row = await this.db.selectFrom('projects').selectAll().where('key', '=', key).executeTakeFirst();
    return row && toProject(row);
  }

  async list(page: { after?: string; limit: number }): Promise<Project[]> {
    let query = this.db.selectFrom('projects').selectAll().orderBy('key').limit(page.limit);
    if (page.after !== undefined) query = query.where('key', '>', page.after);
    return (await query.execute()).map(toProject);
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('projects').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async update(id: string, change: ProjectChange, expectedVersion: number, now: string): Promise<Project> {
    const row = await this.db
      .updateTable('projects')
      .set({ ...change, updated_at: now, version: expectedVersion + 1 })
      .where('id', '=', id)
      .where('version', '=', expectedVersion)
      .returningAll()
      .executeTakeFirst();
    if (row) return toProject(row);
    const current = await this.findById(id);
    throw new VersionConflictError('The project was changed by someone else; reload and retry.', {
      expectedVersion,
      currentVersion: current?.version ?? null,
    });
  }

  async createEnvironment(environment: NewEnvironment): Promise<Environment> {
    const row = {
      id: environment.id,
      project_id: environment.projectId,
      key: environment.key,
      name: environment.name,
      position: environment.position,
      config_version: 1,
      created_at: environment.now,
      updated_at: environment.now,
      version: 1,
    };
    try {
      await this.db.insertInto('environments').values(row).execute();
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new ConflictError(`The project already has an environment with key "${environment.key}".`);
      }
      throw error;
    }
    return toEnvironment(row);
  }

  async listEnvironments(projectId: string): Promise<Environment[]> {
    const rows = await this.db
      .selectFrom('environments')
      .selectAll()
      .where('project_id', '=', projectId)
      .orderBy('position')
      .orderBy('key')
      .execute();
    return rows.map(toEnvironment);
  }
}

function toProject(row: Selectable<ProjectsTable>): Project {
  return {
    id: row.id,
    key: row.key,
    name: row.name,
    description: row.description,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  };
}

function toEnvironment(row: Selectable<EnvironmentsTable>): Environment {
  return {
    id: row.id,
    projectId: row.project_id,
    key: row.key,
    name: row.name,
    position: row.position,
    configVersion: row.config_version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  };
}
