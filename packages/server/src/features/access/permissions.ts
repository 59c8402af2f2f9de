/**
 * @module features/auth/permissions
 * What each project role may do. Roles are cumulative: each includes everything below it.
 */
import { PROJECT_ROLES, type ProjectRole } from '@cleave/core';

/**
 * - `read`: see the project's configuration, experiments, results and audit log.
 * - `write`: change flags, segments, layers, experiments and metrics.
 * - `manage`: environments, API keys, webhooks and members (except owners).
 * - `own`: project settings, owners, deleting the project.
 */
export type Permission = 'read' | 'write' | 'manage' | 'own';

export { PROJECT_ROLES };

const GRANTS: Record<ProjectRole, readonly Permission[]> = {
  viewer: ['read'],
  editor: ['read', 'write'],
  admin: ['read', 'write', 'manage'],
  owner: ['read', 'write', 'manage', 'own'],
};

export function roleAllows(role: ProjectRole, permission: Permission): boolean {
  return GRANTS[role].includes(permission);
}

/** Whether `role` is at least `minimum` (e.g. an admin may grant up to admin, never owner). */
export function roleAtLeast(role: ProjectRole, minimum: ProjectRole): boolean {
  return PROJECT_ROLES.indexOf(role) >= PROJECT_ROLES.indexOf(minimum);
}
