/**
 * @module features/members/member
 * A person's role in one project.
 */
import type { ProjectRole } from '@cleave/core';

export interface Member {
  projectId: string;
  userId: string;
  email: string;
  name: string;
  role: ProjectRole;
  createdAt: string;
  updatedAt: string;
}
