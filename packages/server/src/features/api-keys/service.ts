/**
 * @module features/api-keys/service
 * Creating and revoking API keys. sdk and server keys belong to one environment; admin keys to the
 * project. The secret is returned once and never stored.
 */
import type { ApiKeyKind } from '@cleave/core';
import { actorOf, type Principal } from '../../domain/principal.js';
import type { Project } from '../../domain/project.js';
import { NotFoundError, ValidationError } from '../../http/errors.js';
import { changeInTransaction, type ServiceContext } from '../../service-context.js';
import { apiKeyPrefix, newApiKeySecret } from '../auth/api-key-secret.js';
import { sha256 } from '../auth/secrets.js';
import type { ApiKey } from './api-key.js';

export interface CreatedApiKey extends ApiKey {
  /** Shown once. */
  secret: string;
}

export class ApiKeyService {
  constructor(
    private readonly context: ServiceContext,
    /** Told after a revocation commits, so caches of this process drop the key at once. */
    private readonly onRevoked: (keyId: string) => void = () => {},
  ) {}

  async create(
    project: Project,
    input: { name: string; kind: ApiKeyKind; environment?: string },
    principal: Principal | undefined,
    requestId: string | null,
    /** Bootstrap passes a chosen secret (CLEAVE_INIT_*); everyone else gets a random one. */
    chosenSecret?: string,
  ): Promise<CreatedApiKey> {
    if (input.kind !== 'admin' && input.environment === undefined) {
      throw new ValidationError(`A ${input.kind} key belongs to one environment: name it in "environment".`, {
        issues: [{ path: '/body/environment', message: `is required for ${input.kind} keys` }],
      });
    }
    if (input.kind === 'admin' && input.environment !== undefined) {
      throw new ValidationError('Admin keys manage the whole project; leave out "environment".', {
        issues: [{ path: '/body/environment', message: 'must be absent for admin keys' }],
      });
    }
    return changeInTransaction(this.context, async (stores, record, now) => {
      let environmentId: string | null = null;
      if (input.environment !== undefined) {
        const environment = (await stores.projects.listEnvironments(project.id)).find(
          (candidate) => candidate.key === input.environment,
        );
        if (!environment)
          throw new NotFoundError(`Project "${project.key}" has no environment "${input.environment}".`);
        environmentId = environment.id;
      }
      const secret = chosenSecret ?? newApiKeySecret(input.kind);
      const key = await stores.apiKeys.create({
        id: this.context.newId(),
        projectId: project.id,
        environmentId,
        kind: input.kind,
        name: input.name,
        prefix: apiKeyPrefix(secret),
        secretHash: sha256(secret),
        createdBy: principal?.type === 'user' ? principal.userId : null,
        createdAt: now,
      });
      await record({
        projectId: project.id,
        actor: actorOf(principal),
        requestId,
        action: 'api_key.created',
        resourceType: 'api_key',
        resourceId: key.id,
        resourceKey: key.prefix,
        before: null,
        after: key,
        environments: 'none',
      });
      return { ...key, secret };
    });
  }

  list(project: Project): Promise<ApiKey[]> {
    return this.context.stores.apiKeys.list(project.id);
  }

  async revoke(
    project: Project,
    id: string,
    principal: Principal | undefined,
    requestId: string | null,
  ): Promise<ApiKey> {
    const revoked = await changeInTransaction(this.context, async (stores, record, now) => {
      const before = await stores.apiKeys.findById(project.id, id);
      if (!before) throw new NotFoundError(`No API key with id "${id}" in project "${project.key}".`);
      if (before.revokedAt) return before;
      const revoked = await stores.apiKeys.revoke(project.id, id, now);
      if (!revoked) throw new NotFoundError(`No API key with id "${id}" in project "${project.key}".`);
      await record({
        projectId: project.id,
        actor: actorOf(principal),
        requestId,
        action: 'api_key.revoked',
        resourceType: 'api_key',
        resourceId: id,
        resourceKey: before.prefix,
        before,
        after: revoked,
        environments: 'none',
      });
      return revoked;
    });
    this.onRevoked(id);
    return revoked;
  }
}
