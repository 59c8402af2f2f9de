/**
 * @module features/members/store
 * Project memberships: who has which role where.
 */

import type { ProjectRole } from '@cleave/core';
import type { Kysely } from 'kysely';
import type { Database } from '../../adapters/sql/database.js';
import type { Member } from './member.js';

export interface MemberStore {
  roleOf(projectId: string, userId: string): Promise<ProjectRole | undefined>;
  /** Inserts or changes the role. */
  put(member: { projectId: string; userId: string; role: ProjectRole; now: string }): Promise<void>;
  remove(projectId: string, userId: string): Promise<boolean>;
  list(projectId: string): Promise<Member[]>;
  get(projectId: string, userId: string): Promise<Member | undefined>;
  countWithRole(projectId: string, role: ProjectRole): Promise<number>;
  /** Project ids the user belongs to. */
  projectIdsOf(userId: string): Promise<string[]>;
}

export class KyselyMemberStore implements MemberStore {
  constructor(private readonly db: Kysely<Database>) {}

  async roleOf(projectId: string, userId: string): Promise<ProjectRole | undefined> {
    const row = await this.db
      .selectFrom('project_members')
      .select('role')
      .where('project_id', '=', projectId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row?.role;
  }

  async put(member: { projectId: string; userId: string; role: ProjectRole; now: string }): Promise<void> {
    await this.db
      .insertInto('project_members')
      .values({
        project_id: member.projectId,
        user_id: member.userId,
        role: member.role,
        created_at: member.now,
        updated_at: member.now,
      })
      .onConflict((conflict) =>
        conflict
          .columns(['project_id', 'user_id'])
          .doUpdateSet({ role: member.role, updated_at: member.now }),
      )
      .execute();
  }

  async remove(projectId: string, userId: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('project_members')
      .where('project_id', '=', projectId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async list(projectId: string): Promise<Member[]> {
    const rows = await this.memberQuery()
      .where('project_members.project_id', '=', projectId)
      .orderBy('users.email')
      .execute();
    return rows.map(toMember);
  }

  async get(projectId: string, userId: string): Promise<Member | undefined> {
    const row = await this.memberQuery()
      .where('project_members.project_id', '=', projectId)
      .where('project_members.user_id', '=', userId)
      .executeTakeFirst();
    return row && toMember(row);
  }

  async countWithRole(projectId: string, role: ProjectRole): Promise<number> {
    const rows = await this.db
      .selectFrom('project_members')
      .select('user_id')
      .where('project_id', '=', projectId)
      .where('role', '=', role)
      .execute();
    return rows.length;
  }

  async projectIdsOf(userId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('project_members')
      .select('project_id')
      .where('user_id', '=', userId)
      .execute();
    return rows.map((row) => row.project_id);
  }

  private memberQuery() {
    return this.db
      .selectFrom('project_members')
      .innerJoin('users', 'users.id', 'project_members.user_id')
      .select([
        'project_members.project_id',
        'project_members.user_id',
        'project_members.role',
        'project_members.created_at',
        'project_members.updated_at',
        'users.email',
        'users.name',
      ]);
  }
}

function toMember(row: {
  project_id: string;
  user_id: string;
  role: ProjectRole;
  created_at: string;
  updated_at: string;
  email: string;
  name: string;
}): Member {
  return {
    projectId: row.project_id,
    userId: row.user_id,
    email: row.email,
    name: row.name,
    role: row.role,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
