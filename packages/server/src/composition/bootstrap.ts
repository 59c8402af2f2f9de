/**
 * @module bootstrap
 * First-start provisioning for automation (CI, Kubernetes, Terraform): the owner account, a default
 * project, an admin key and an sdk key for its production environment, from CLEAVE_INIT_*. Each part
 * is created only when missing, so restarting with the same variables changes nothing.
 */

import type { Project } from '../domain/project.js';
import { sha256 } from '../features/auth/secrets.js';
import type { InitConfig } from '../runtime/config.js';
import type { Services } from './services.js';

export const DEFAULT_PROJECT = { key: 'default', name: 'Default project' } as const;

export interface BootstrapReport {
  createdOwner: boolean;
  createdProject: boolean;
  createdAdminKey: boolean;
  createdSdkKey: boolean;
}

export async function bootstrap(services: Services, init: InitConfig): Promise<BootstrapReport> {
  const report = { createdOwner: false, createdProject: false, createdAdminKey: false, createdSdkKey: false };
  if (!init.admin && !init.adminToken && !init.sdkKey) return report;
  const { auth, projects, apiKeys } = services;

  let owner = init.admin ? await auth.findUserByEmail(init.admin.email) : undefined;
  if (init.admin && !owner && (await auth.needsFirstUser())) {
    owner = await auth.createUser(
      { email: init.admin.email, name: 'Owner', password: init.admin.password },
      undefined,
    );
    report.createdOwner = true;
  }
  const ownerPrincipal = owner && {
    type: 'user' as const,
    userId: owner.id,
    email: owner.email,
    isInstanceAdmin: owner.isInstanceAdmin,
    csrfToken: '',
  };

  let project: Project | undefined = await projects.findProjectByKey(DEFAULT_PROJECT.key);
  if (!project) {
    project = await projects.create(DEFAULT_PROJECT, ownerPrincipal, null);
    report.createdProject = true;
  }

  const missing = async (secret: string) => !(await apiKeys.findBySecretHash(sha256(secret)));
  if (init.adminToken && (await missing(init.adminToken))) {
    await apiKeys.create(
      project,
      { name: 'Bootstrap admin key', kind: 'admin' },
      ownerPrincipal,
      null,
      init.adminToken,
    );
    report.createdAdminKey = true;
  }
  if (init.sdkKey && (await missing(init.sdkKey))) {
    await apiKeys.create(
      project,
      { name: 'Bootstrap sdk key', kind: 'sdk', environment: 'production' },
      ownerPrincipal,
      null,
      init.sdkKey,
    );
    report.createdSdkKey = true;
  }
  return report;
}
