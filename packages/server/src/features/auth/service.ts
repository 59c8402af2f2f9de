/**
 * @module features/auth/service
 * Sign-up, sign-in and sign-out for people, and turning presented credentials (a session cookie or
 * a bearer API key) into a `Principal`.
 */

import type { ApiKeyKind } from '@cleave/core';
import type { Transactor } from '../../adapters/sql/transactor.js';
import { type AccessRevocation, revokes } from '../../domain/access-revocation.js';
import type { Clock } from '../../domain/clock.js';
import type { ApiKeyPrincipal, Principal } from '../../domain/principal.js';
import { ForbiddenError, NotFoundError, UnauthorizedError } from '../../http/errors.js';
import type { ChangeNotifier } from '../../ports/change-notifier.js';
import type { AuditLog } from '../audit/audit-log.js';
import { AccountDisabledError, accessActions, accessOf, checkAccessChange } from './account-access.js';
import { API_KEY_PATTERN } from './api-key-secret.js';
import type { PasswordHasher } from './password-hasher.js';
import { randomToken, sha256 } from './secrets.js';
import { setupCodeMatches } from './setup-code.js';
import type { User } from './user.js';
import { type AccessChange, KyselyUserStore, type UserListQuery } from './user-store.js';

/** What authentication needs to know of an API key (the api-keys feature provides it). */
export interface ApiKeyCredential {
  id: string;
  kind: ApiKeyKind;
  projectId: string;
  environmentId: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface ApiKeyDirectory {
  findBySecretHash(secretHash: string): Promise<ApiKeyCredential | undefined>;
  touch(keyId: string, at: string): Promise<void>;
}

export interface AuthSettings {
  /** How long a session lasts after sign-in. */
  sessionTtlMs: number;
  /** What the first sign-up must present (see setup-code.ts). */
  setupCode: string;
}

export interface SignedIn {
  user: User;
  /** The cookie value; only its digest is stored. */
  sessionToken: string;
  csrfToken: string;
  expiresAt: string;
}

/** A fixed hash to verify against when the email is unknown, so timing doesn't reveal accounts. */
let decoyHash: Promise<string> | undefined;

/** How long a looked-up API key is trusted without asking the database again. */
export const API_KEY_CACHE_MS = 5_000;
/** Keys remembered at most (the oldest go first). */
const API_KEY_CACHE_ENTRIES = 10_000;
/** "Last used" is written at most this often per key. */
const TOUCH_EVERY_MS = 60_000;

/** A looked-up key as the request path needs it, built once per lookup and shared by every hit. */
interface KnownKey {
  readonly credential: ApiKeyCredential;
  /** Frozen: every request presenting the key gets this very object. */
  readonly principal: Readonly<ApiKeyPrincipal>;
  readonly expiresAt: number;
  touchDueAt: number;
}

export class AuthService {
  /**
   * Known keys by the secret presented (unknown ones are not remembered: a key may be created any
   * moment). Keyed by the secret itself rather than its digest, so a hit costs no hashing; the
   * secret is held no longer than the entry lives (API_KEY_CACHE_MS).
   */
  private readonly keys = new Map<string, KnownKey>();
  private readonly touched = new Map<string, number>();

  constructor(
    private readonly options: {
      transactor: Transactor;
      clock: Clock;
      audit: AuditLog;
      /** Tells every API node when an account is disabled, so its open streams close. */
      revocations: Pick<ChangeNotifier, 'accessRevoked'>;
      apiKeys: ApiKeyDirectory;
      hasher: PasswordHasher;
      settings: AuthSettings;
    },
  ) {}

  private get hasher(): PasswordHasher {
    return this.options.hasher;
  }

  private get users(): KyselyUserStore {
    return new KyselyUserStore(this.options.transactor.db);
  }

  /** Whether the instance still waits for its first user (the UI offers sign-up only then). */
  async needsFirstUser(): Promise<boolean> {
    return (await this.users.count()) === 0;
  }

  /**
   * First-run sign-up over HTTP: on an empty instance, whoever presents the setup code becomes its
   * owner. The code is checked before anything else, so a wrong one learns nothing and costs no
   * password hash.
   */
  async signUpFirstUser(
    input: { email: string; name: string; password: string },
    setupCode: string | undefined,
  ): Promise<User> {
    if (!(await this.needsFirstUser())) throw signUpClosed();
    if (!setupCodeMatches(this.options.settings.setupCode, setupCode)) {
      throw new ForbiddenError(
        'The first account needs the setup code the server printed in its log at start-up (or set CLEAVE_SETUP_CODE).',
        { reason: 'setup_code' },
      );
    }
    return this.createUser(input, undefined);
  }

  /**
   * Creates a person. Without `createdBy` only on an empty instance, where the first person becomes
   * an instance administrator (first-run sign-up and CLEAVE_INIT_ADMIN_* provisioning); afterwards
   * people are created by an administrator.
   */
  async createUser(
    input: { email: string; name: string; password: string },
    createdBy: Principal | undefined,
  ): Promise<User> {
    const email = normaliseEmail(input.email);
    const passwordHash = await this.hasher.hash(input.password);
    const now = this.options.clock.now().toISOString();
    return this.options.transactor.run(async (tx) => {
      const users = new KyselyUserStore(tx);
      const first = (await users.count()) === 0;
      if (!first && !(createdBy?.type === 'user' && createdBy.isInstanceAdmin)) throw signUpClosed();
      const user = await users.create({
        id: this.options.clock.newId(),
        email,
        name: input.name,
        passwordHash,
        isInstanceAdmin: first,
        now,
      });
      await this.options.audit.append(tx, {
        id: this.options.clock.newId(),
        now,
        projectId: null,
        actor:
          createdBy?.type === 'user' ? { type: 'user', id: createdBy.userId } : { type: 'user', id: user.id },
        action: 'user.created',
        resourceType: 'user',
        resourceId: user.id,
        before: null,
        after: { id: user.id, email: user.email, name: user.name, isInstanceAdmin: user.isInstanceAdmin },
        requestId: null,
      });
      return user;
    });
  }

  /** The instance's accounts in email order, for instance administrators (the route checks who asks). */
  async listUsers(query: UserListQuery): Promise<User[]> {
    return this.users.list(query);
  }

  /**
   * Disables or re-enables an account and grants or revokes instance administration (offboarding).
   * Disabling ends every session of the person in the same transaction, and once it commits every
   * API node closes the streams they hold. The row and the memberships stay: audit records keep
   * naming the person, and re-enabling gives back the projects they had. One audit record per
   * field that changed, instance-wide (no project).
   * @throws NotFoundError for an unknown account, OwnAccessError, LastInstanceAdminError.
   */
  async updateAccess(
    actor: { userId: string; requestId: string | null },
    userId: string,
    change: AccessChange,
  ): Promise<User> {
    const now = this.options.clock.now().toISOString();
    const updated = await this.options.transactor.run(async (tx) => {
      const users = new KyselyUserStore(tx);
      // Locked before the target is read, so concurrent changes are judged one after the other.
      const enabledAdmins = await users.lockEnabledInstanceAdmins();
      const target = await users.findById(userId);
      if (!target) throw new NotFoundError(`No account with id "${userId}".`);
      checkAccessChange({ actorId: actor.userId, target, change, enabledAdmins });
      const before = accessOf(target);
      const actions = accessActions(before, { ...before, ...definedFields(change) });
      if (actions.length === 0) return { user: target, ended: false };
      const user = await users.updateAccess(userId, { ...change, now });
      if (!user) throw new NotFoundError(`No account with id "${userId}".`);
      if (user.disabled) await users.deleteSessionsOf(userId);
      let state = before;
      for (const action of actions) {
        // Each record shows the one step it names, so a reader never has to diff two fields.
        const next =
          action === 'user.disabled' || action === 'user.enabled'
            ? { ...state, disabled: user.disabled }
            : { ...state, isInstanceAdmin: user.isInstanceAdmin };
        await this.options.audit.append(tx, {
          id: this.options.clock.newId(),
          now,
          projectId: null,
          actor: { type: 'user', id: actor.userId },
          action,
          resourceType: 'user',
          resourceId: user.id,
          before: { id: user.id, email: user.email, name: user.name, ...state },
          after: { id: user.id, email: user.email, name: user.name, ...next },
          requestId: actor.requestId,
        });
        state = next;
      }
      return { user, ended: !before.disabled && user.disabled };
    });
    if (updated.ended) this.options.revocations.accessRevoked([{ kind: 'user', userId }]);
    return updated.user;
  }

  /**
   * A wrong password or an unknown email answers 401 whatever the account's state, so nobody learns
   * that an account exists, or is disabled, without its password; only the right password for a
   * disabled account learns so (403 `account_disabled`), which tells the person why, not a guesser.
   */
  async signIn(emailInput: string, password: string): Promise<SignedIn> {
    const email = normaliseEmail(emailInput);
    const user = await this.users.findByEmail(email);
    const hash = user ? await this.users.passwordHashOf(user.id) : undefined;
    if (!user || !hash) {
      decoyHash ??= this.hasher.hash(randomToken());
      await this.hasher.verify(await decoyHash, password);
      throw new UnauthorizedError('Wrong email or password.');
    }
    if (!(await this.hasher.verify(hash, password))) throw new UnauthorizedError('Wrong email or password.');
    if (user.disabled) {
      throw new AccountDisabledError('This account is disabled: ask an instance administrator to enable it.');
    }
    const now = this.options.clock.now();
    const sessionToken = randomToken();
    const csrfToken = randomToken();
    const expiresAt = new Date(now.getTime() + this.options.settings.sessionTtlMs).toISOString();
    await this.users.createSession({
      tokenHash: sha256(sessionToken),
      userId: user.id,
      csrfToken,
      expiresAt,
      now: now.toISOString(),
    });
    await this.users.recordLogin(user.id, now.toISOString());
    return { user: { ...user, lastLoginAt: now.toISOString() }, sessionToken, csrfToken, expiresAt };
  }

  async signOut(sessionToken: string): Promise<void> {
    await this.users.deleteSession(sha256(sessionToken));
  }

  async principalFromSession(sessionToken: string): Promise<Principal | undefined> {
    const now = this.options.clock.now().toISOString();
    const session = await this.users.findSession(sha256(sessionToken), now);
    if (!session) return undefined;
    const user = await this.users.findById(session.userId);
    // Disabling deletes the sessions too; this also covers a sign-in that raced the disabling.
    if (!user || user.disabled) return undefined;
    return {
      type: 'user',
      userId: user.id,
      email: user.email,
      isInstanceAdmin: user.isInstanceAdmin,
      csrfToken: session.csrfToken,
    };
  }

  /**
   * @throws UnauthorizedError for a malformed, unknown or revoked key (as a rejected promise).
   * Keys are cached for a few seconds: SDKs present one on every request, and a database lookup
   * per request was the largest cost of SDK endpoints. A cached key is answered synchronously with
   * no allocation (the principal is built once per lookup). A revocation takes effect at once on
   * every node (the composition root calls `forgetApiKey` on each revocation notice) and, should a
   * notice be lost, within API_KEY_CACHE_MS.
   */
  principalFromApiKey(secret: string): Principal | Promise<Principal> {
    const known = this.keys.get(secret);
    if (known !== undefined) {
      const now = Date.now();
      if (known.expiresAt > now) {
        if (known.credential.revokedAt) return Promise.reject(keyRevoked());
        if (now >= known.touchDueAt) this.touch(known, now);
        return known.principal;
      }
      this.keys.delete(secret);
    }
    return this.lookUpApiKey(secret);
  }

  private async lookUpApiKey(secret: string): Promise<Principal> {
    if (!API_KEY_PATTERN.test(secret)) throw new UnauthorizedError('The API key is malformed.');
    const credential = await this.options.apiKeys.findBySecretHash(sha256(secret));
    if (!credential) throw new UnauthorizedError('The API key is not valid.');
    const lastTouched =
      this.touched.get(credential.id) ?? (credential.lastUsedAt ? Date.parse(credential.lastUsedAt) : 0);
    const known: KnownKey = {
      credential,
      principal: Object.freeze({
        type: 'api_key',
        keyId: credential.id,
        kind: credential.kind,
        projectId: credential.projectId,
        environmentId: credential.environmentId,
      }),
      expiresAt: Date.now() + API_KEY_CACHE_MS,
      touchDueAt: lastTouched + TOUCH_EVERY_MS,
    };
    this.remember(secret, known);
    if (credential.revokedAt) throw keyRevoked();
    if (Date.now() >= known.touchDueAt) this.touch(known, Date.now());
    return known.principal;
  }

  private remember(secret: string, known: KnownKey): void {
    this.keys.delete(secret);
    this.keys.set(secret, known);
    if (this.keys.size <= API_KEY_CACHE_ENTRIES) return;
    const oldest = this.keys.keys().next();
    if (!oldest.done) this.keys.delete(oldest.value);
  }

  /** Drops a key from the cache, e.g. right after it was revoked. */
  forgetApiKey(keyId: string): void {
    this.forgetApiKeys({ kind: 'api_key', keyId });
  }

  /** Drops every cached key a revocation covers: one key, or all of a deleted environment or project. */
  forgetApiKeys(revocation: AccessRevocation): void {
    for (const [secret, { credential }] of this.keys) {
      const holder = {
        projectId: credential.projectId,
        environmentId: credential.environmentId ?? '',
        keyId: credential.id,
      };
      if (revokes(revocation, holder)) this.keys.delete(secret);
    }
  }

  /**
   * "Last used" is recorded at most once a minute per key and off the request path: SDK keys are
   * used on every config fetch and event batch, and a write per request would dominate their cost.
   */
  private touch(known: KnownKey, now: number): void {
    known.touchDueAt = now + TOUCH_EVERY_MS;
    this.touched.set(known.credential.id, now);
    this.options.apiKeys.touch(known.credential.id, this.options.clock.now().toISOString()).catch(() => {
      // Best effort by design: a failed "last used" update must not fail the request.
    });
  }

  async findUser(id: string): Promise<User | undefined> {
    return this.users.findById(id);
  }

  /** Ends sessions past their expiry (a scheduled job). */
  async deleteExpiredSessions(now: string): Promise<number> {
    return this.users.deleteExpiredSessions(now);
  }

  async findUserByEmail(email: string): Promise<User | undefined> {
    return this.users.findByEmail(normaliseEmail(email));
  }
}

/** The fields a change sets (an absent field keeps its value). */
function definedFields(change: AccessChange): Partial<{ disabled: boolean; isInstanceAdmin: boolean }> {
  return {
    ...(change.disabled !== undefined && { disabled: change.disabled }),
    ...(change.isInstanceAdmin !== undefined && { isInstanceAdmin: change.isInstanceAdmin }),
  };
}

function keyRevoked(): UnauthorizedError {
  return new UnauthorizedError('The API key was revoked.');
}

function signUpClosed(): ForbiddenError {
  return new ForbiddenError('Sign-up is closed: ask an administrator to create your account.');
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}
