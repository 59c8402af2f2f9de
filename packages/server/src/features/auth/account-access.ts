/**
 * @module features/auth/account-access
 * The rules of offboarding: which changes to an account's access an instance administrator may
 * make, and how each change is named in the audit log. Kept apart from the service so the rules
 * read in one place and are tested without a database.
 */
import { AppError, ConflictError } from '../../http/errors.js';
import type { User } from './user.js';
import type { AccessChange } from './user-store.js';

/** A correct password for a disabled account (a wrong one gets the usual 401: see signIn). */
export class AccountDisabledError extends AppError {
  readonly code = 'account_disabled';
  readonly statusCode = 403;
}

/** Nobody may lock themselves out: another administrator must do it. */
export class OwnAccessError extends ConflictError {
  override readonly code = 'own_access';
}

/** The instance would have no enabled administrator left to manage it. */
export class LastInstanceAdminError extends ConflictError {
  override readonly code = 'last_instance_admin';
}

/** The access an audit record shows before and after a change. */
export interface AccessState {
  disabled: boolean;
  isInstanceAdmin: boolean;
}

export function accessOf(user: Pick<User, 'disabled' | 'isInstanceAdmin'>): AccessState {
  return { disabled: user.disabled, isInstanceAdmin: user.isInstanceAdmin };
}

/**
 * @throws OwnAccessError when an administrator disables or demotes themselves.
 * @throws LastInstanceAdminError when the change would leave no enabled instance administrator
 * (`enabledAdmins`: their ids, read under lock in the same transaction).
 */
export function checkAccessChange(input: {
  actorId: string;
  target: User;
  change: AccessChange;
  enabledAdmins: readonly string[];
}): void {
  const { actorId, target, change, enabledAdmins } = input;
  const removesAdmin = change.disabled === true || change.isInstanceAdmin === false;
  if (!removesAdmin) return;
  if (target.id === actorId) {
    throw new OwnAccessError(
      'You cannot disable your own account or remove your own instance administrator right: ask another instance administrator.',
    );
  }
  const remaining = enabledAdmins.filter((id) => id !== target.id);
  if (enabledAdmins.includes(target.id) && remaining.length === 0) {
    throw new LastInstanceAdminError(
      'This is the last enabled instance administrator: make someone else one first.',
    );
  }
}

/** One audit action per field that changes, in a stable order (none when nothing changes). */
export function accessActions(before: AccessState, after: AccessState): string[] {
  const actions: string[] = [];
  if (before.disabled !== after.disabled) actions.push(after.disabled ? 'user.disabled' : 'user.enabled');
  if (before.isInstanceAdmin !== after.isInstanceAdmin) {
    actions.push(after.isInstanceAdmin ? 'user.instance_admin_granted' : 'user.instance_admin_revoked');
  }
  return actions;
}
