/**
 * @module features/members/service
 * Who may work on a project. Only owners may make or unmake owners, and a project always keeps at
 * least one owner.
 */
import type { ProjectRole } from '@cleave/core';
import { actorOf, type Principal } from '../../domain/principal.js';
import type { Project } from '../../domain/project.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../../http/errors.js';
import { changeInTransaction, type ServiceContext } from '../../service-context.js';
import { roleAllows } from '../access/permissions.js';
import { normaliseEmail } from '../auth/service.js';
import type { Member } from './member.js';

export class MemberService {
  constructor(private readonly context: ServiceContext) {}

  list(project: Project): Promise<Member[]> {
    return this.context.stores.members.list(project.id);
  }

  async put(
    project: Project,
    input: { email: string; role: ProjectRole },
    callerRole: ProjectRole,
    principal: Principal | undefined,
    requestId: string | null,
  ): Promise<Member> {
    return changeInTransaction(this.context, async (stores, record, now) => {
      const user = await stores.users.findByEmail(normaliseEmail(input.email));
      if (!user)
        throw new NotFoundError(
          `No account with email "${input.email}"; create it first (POST /api/v1/users).`,
        );
      const before = await stores.members.get(project.id, user.id);
      if ((input.role === 'owner' || before?.role === 'owner') && !roleAllows(callerRole, 'own')) {
        throw new ForbiddenError('Only owners may grant or change the owner role.');
      }
      if (before?.role === 'owner' && input.role !== 'owner') await this.keepAnOwner(stores, project);
      await stores.members.put({ projectId: project.id, userId: user.id, role: input.role, now });
      const after = await stores.members.get(project.id, user.id);
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
    await changeInTransaction(this.context, async (stores, record) => {
      const before = await stores.members.get(project.id, userId);
      if (!before) throw new NotFoundError(`User "${userId}" is not a member of project "${project.key}".`);
      if (before.role === 'owner') {
        if (!roleAllows(callerRole, 'own')) throw new ForbiddenError('Only owners may remove an owner.');
        await this.keepAnOwner(stores, project);
      }
      await stores.members.remove(project.id, userId);
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
      });
    });
  }

  private async keepAnOwner(
    stores: { members: { countWithRole(projectId: string, role: ProjectRole): Promise<number> } },
    project: Project,
  ) {
    if ((await stores.members.countWithRole(project.id, 'owner')) <= 1) {
      throw new ConflictError('A project must keep at least one owner; make someone else owner first.');
    }
  }
}
