/**
 * @module features/members/service
 * Who may work on a project. Only owners may make or unmake owners, and a project always keeps at
 * least one owner.
 */
import type { ProjectRole } from '@cleave/core';
import type { SqlExecutor, Transactor } from '../../adapters/sql/transactor.js';
import { actorOf, type Principal } from '../../domain/principal.js';
import type { Project } from '../../domain/project.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../../http/errors.js';
import { roleAllows } from '../access/permissions.js';
import type { User } from '../auth/user.js';
import type { ChangeRecorder } from '../changes/change-recorder.js';
import type { Member } from './member.js';
import { KyselyMemberStore } from './store.js';

/** Who has an account, by email (the auth feature). */
export interface UserDirectory {
  findUserByEmail(email: string): Promise<User | undefined>;
}

export class MemberService {
  constructor(
    private readonly options: { transactor: Transactor; changes: ChangeRecorder; users: UserDirectory },
  ) {}

  list(project: Project): Promise<Member[]> {
    return this.store().list(project.id);
  }

  /** The project a user may see, for listing projects. */
  projectIdsOf(userId: string): Promise<string[]> {
    return this.store().projectIdsOf(userId);
  }

  roleOf(projectId: string, userId: string): Promise<ProjectRole | undefined> {
    return this.store().roleOf(projectId, userId);
  }

  /** Makes the creator of a new project its owner, inside the transaction that creates it. */
  addOwner(tx: SqlExecutor, input: { projectId: string; userId: string; now: string }): Promise<void> {
    return this.store(tx).put({ ...input, role: 'owner' });
  }

  private store(db: SqlExecutor = this.options.transactor.db): KyselyMemberStore {
    return new KyselyMemberStore(db);
  }

  async put(
    project: Project,
    input: { email: string; role: ProjectRole },
    callerRole: ProjectRole,
    principal: Principal | undefined,
    requestId: string | null,
  ): Promise<Member> {
    const user = await this.options.users.findUserByEmail(input.email);
    return this.options.changes.transaction(async ({ tx, record, now }) => {
      const members = this.store(tx);
      if (!user)
        throw new NotFoundError(
          `No account with email "${input.email}"; create it first (POST /api/v1/users).`,
          // Named as the field it is about, so a form can show it there.
          { issues: [{ path: '/body/email', message: 'has no account yet; create it first' }] },
        );
      const before = await members.get(project.id, user.id);
      if ((input.role === 'owner' || before?.role === 'owner') && !roleAllows(callerRole, 'own')) {
        throw new ForbiddenError('Only owners may grant or change the owner role.');
      }
      if (before?.role === 'owner' && input.role !== 'owner') await this.keepAnOwner(members, project);
      await members.put({ projectId: project.id, userId: user.id, role: input.role, now });
      const after = await members.get(project.id, user.id);
      if (!after) throw new Error('membership vanished inside its own transaction');
      await record({
        projectId: project.id,
        actor: actorOf(principal),
        requestId,
        action: before ? 'member.updated' : 'member.added',
        resourceType: 'member',
        resourceId: user.id,
        resourceKey: user.email,
        before: before ?? null,
        after,
        environments: 'none',
      });
      return after;
    });
  }

  async remove(
    project: Project,
    userId: string,
    callerRole: ProjectRole,
    principal: Principal | undefined,
    requestId: string | null,
  ): Promise<void> {
    await this.options.changes.transaction(async ({ tx, record }) => {
      const members = this.store(tx);
      const before = await members.get(project.id, userId);
      if (!before) throw new NotFoundError(`User "${userId}" is not a member of project "${project.key}".`);
      if (before.role === 'owner') {
        if (!roleAllows(callerRole, 'own')) throw new ForbiddenError('Only owners may remove an owner.');
        await this.keepAnOwner(members, project);
      }
      await members.remove(project.id, userId);
      await record({
        projectId: project.id,
        actor: actorOf(principal),
        requestId,
        action: 'member.removed',
        resourceType: 'member',
        resourceId: userId,
        resourceKey: before.email,
        before,
        after: null,
        environments: 'none',
        revokes: [{ kind: 'member', projectId: project.id, userId }],
      });
    });
  }

  private async keepAnOwner(members: KyselyMemberStore, project: Project) {
    if ((await members.countWithRole(project.id, 'owner')) <= 1) {
      throw new ConflictError('A project must keep at least one owner; make someone else owner first.');
    }
  }
}
