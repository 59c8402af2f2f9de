/**
 * @module features/api-keys/service
 * Creating and revoking API keys. sdk and server keys belong to one environment; admin keys to the
 * project. The secret is returned once and never stored.
 */
import type { ApiKeyKind } from '@cleave/core';
import type { Transactor } from '../../adapters/sql/transactor.js';
import { actorOf, type Principal } from '../../domain/principal.js';
import type { Project } from '../../domain/project.js';
import { NotFoundError, ValidationError } from '../../http/errors.js';
import { apiKeyPrefix, newApiKeySecret } from '../auth/api-key-secret.js';
import { sha256 } from '../auth/secrets.js';
import type { ChangeRecorder } from '../changes/change-recorder.js';
import type { ProjectService } from '../projects/service.js';
import type { ApiKey } from './api-key.js';
import { KyselyApiKeyStore } from './store.js';

export interface CreatedApiKey extends ApiKey {
  /** Shown once. */
  secret: string;
}

export class ApiKeyService {
  constructor(
    private readonly options: {
      transactor: Transactor;
      changes: ChangeRecorder;
      projects: Pick<ProjectService, 'environmentByKey'>;
      /** Told after a revocation commits, so caches of this process drop the key at once. */
      onRevoked?: (keyId: string) => void;
    },
  ) {}

  /** The key a secret digest belongs to, revoked or not (authentication, bootstrap). */
  findBySecretHash(secretHash: string): Promise<ApiKey | undefined> {
    return new KyselyApiKeyStore(this.options.transactor.db).findBySecretHash(secretHash);
  }

  /**
   * Whether a key still opens its environment: it exists and is not revoked. Asked of the database,
   * never a cache: open streams re-check their key with it, the backstop for a lost revocation notice.
   */
  async isActive(projectId: string, keyId: string, environmentId: string): Promise<boolean> {
    const key = await new KyselyApiKeyStore(this.options.transactor.db).findById(projectId, keyId);
    return key !== undefined && !key.revokedAt && key.environmentId === environmentId;
  }

  /** Records when a key was last used (best effort, off the request path). */
  touch(keyId: string, at: string): Promise<void> {
    return new KyselyApiKeyStore(this.options.transactor.db).touch(keyId, at);
  }

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
    const environmentId =
      input.environment === undefined
        ? null
        : (await this.options.projects.environmentByKey(project, input.environment)).id;
    return this.options.changes.transaction(async ({ tx, record, now, newId }) => {
      const secret = chosenSecret ?? newApiKeySecret(input.kind);
      const key = await new KyselyApiKeyStore(tx).create({
        id: newId(),
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
    return new KyselyApiKeyStore(this.options.transactor.db).list(project.id);
  }

  async revoke(
    project: Project,
    id: string,
    principal: Principal | undefined,
    requestId: string | null,
  ): Promise<ApiKey> {
    const revoked = await this.options.changes.transaction(async ({ tx, record, now }) => {
      const before = await new KyselyApiKeyStore(tx).findById(project.id, id);
      if (!before) throw new NotFoundError(`No API key with id "${id}" in project "${project.key}".`);
      if (before.revokedAt) return before;
      const revoked = await new KyselyApiKeyStore(tx).revoke(project.id, id, now);
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
        revokes: [{ kind: 'api_key', keyId: id }],
      });
      return revoked;
    });
    this.options.onRevoked?.(id);
    return revoked;
  }
}
