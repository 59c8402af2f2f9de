/**
 * @module features/auth/service
 * Sign-up, sign-in and sign-out for people, and turning presented credentials (a session cookie or
 * a bearer API key) into a `Principal`.
 */

import { TtlCache } from '../../adapters/memory/ttl-cache.js';
import type { Principal } from '../../domain/principal.js';
import { ForbiddenError, UnauthorizedError } from '../../http/errors.js';
import type { ServiceContext } from '../../service-context.js';
import type { ApiKey } from '../api-keys/api-key.js';
import { API_KEY_PATTERN } from './api-key-secret.js';
import type { PasswordHasher } from './password-hasher.js';
import { randomToken, sha256 } from './secrets.js';
import type { User } from './user.js';

export interface AuthSettings {
  /** How long a session lasts after sign-in. */
  sessionTtlMs: number;
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

export class AuthService {
  /** Known keys by secret digest (unknown ones are not remembered: a key may be created any moment). */
  private readonly keys = new TtlCache<string, ApiKey>(API_KEY_CACHE_MS, 10_000);
  private readonly touched = new Map<string, number>();

  constructor(
    private readonly context: ServiceContext,
    private readonly hasher: PasswordHasher,
    private readonly settings: AuthSettings,
  ) {}

  /** Whether the instance still waits for its first user (the UI offers sign-up only then). */
  async needsFirstUser(): Promise<boolean> {
    return (await this.context.stores.users.count()) === 0;
  }

  /**
   * Creates a person. Open only on an empty instance, where the first person becomes an instance
   * administrator; afterwards people are created by an administrator (`createdBy`).
   */
  async createUser(
    input: { email: string; name: string; password: string },
    createdBy: Principal | undefined,
  ): Promise<User> {
    const email = normaliseEmail(input.email);
    const passwordHash = await this.hasher.hash(input.password);
    const now = this.context.now().toISOString();
    return this.context.transactor.run(async (stores) => {
      const first = (await stores.users.count()) === 0;
      if (!first && !(createdBy?.type === 'user' && createdBy.isInstanceAdmin)) {
        throw new ForbiddenError('Sign-up is closed: ask an administrator to create your account.');
      }
      const user = await stores.users.create({
        id: this.context.newId(),
        email,
        name: input.name,
        passwordHash,
        isInstanceAdmin: first,
        now,
      });
      await stores.audit.record({
        id: this.context.newId(),
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

  async signIn(emailInput: string, password: string): Promise<SignedIn> {
    const email = normaliseEmail(emailInput);
    const user = await this.context.stores.users.findByEmail(email);
    const hash = user ? await this.context.stores.users.passwordHashOf(user.id) : undefined;
    if (!user || !hash) {
      decoyHash ??= this.hasher.hash(randomToken());
      await this.hasher.verify(await decoyHash, password);
      throw new UnauthorizedError('Wrong email or password.');
    }
    if (!(await this.hasher.verify(hash, password))) throw new UnauthorizedError('Wrong email or password.');
    const now = this.context.now();
    const sessionToken = randomToken();
    const csrfToken = randomToken();
    const expiresAt = new Date(now.getTime() + this.settings.sessionTtlMs).toISOString();
    await this.context.stores.users.createSession({
      tokenHash: sha256(sessionToken),
      userId: user.id,
      csrfToken,
      expiresAt,
      now: now.toISOString(),
    });
    await this.context.stores.users.recordLogin(user.id, now.toISOString());
    return { user: { ...user, lastLoginAt: now.toISOString() }, sessionToken, csrfToken, expiresAt };
  }

  async signOut(sessionToken: string): Promise<void> {
    await this.context.stores.users.deleteSession(sha256(sessionToken));
  }

  async principalFromSession(sessionToken: string): Promise<Principal | undefined> {
    const now = this.context.now().toISOString();
    const session = await this.context.stores.users.findSession(sha256(sessionToken), now);
    if (!session) return undefined;
    const user = await this.context.stores.users.findById(session.userId);
    if (!user) return undefined;
    return {
      type: 'user',
      userId: user.id,
      email: user.email,
      isInstanceAdmin: user.isInstanceAdmin,
      csrfToken: session.csrfToken,
    };
  }

  /**
   * @throws UnauthorizedError for a malformed, unknown or revoked key.
   * Keys are cached for a few seconds: SDKs present one on every request, and a database lookup
   * per request was the largest cost of SDK endpoints. A revocation takes effect at once on the
   * node that made it (`forgetApiKey`) and within API_KEY_CACHE_MS on the others.
   */
  async principalFromApiKey(secret: string): Promise<Principal> {
    if (!API_KEY_PATTERN.test(secret)) throw new UnauthorizedError('The API key is malformed.');
    const hash = sha256(secret);
    let key = this.keys.get(hash);
    if (!key) {
      key = await this.context.stores.apiKeys.findBySecretHash(hash);
      if (!key) throw new UnauthorizedError('The API key is not valid.');
      this.keys.set(hash, key);
    }
    if (key.revokedAt) throw new UnauthorizedError('The API key was revoked.');
    this.touchLater(key);
    return {
      type: 'api_key',
      keyId: key.id,
      kind: key.kind,
      projectId: key.projectId,
      environmentId: key.environmentId,
    };
  }

  /** Drops a key from the cache, e.g. right after it was revoked. */
  forgetApiKey(keyId: string): void {
    this.keys.deleteWhere((key) => key.id === keyId);
  }

  async findUser(id: string): Promise<User | undefined> {
    return this.context.stores.users.findById(id);
  }

  async findUserByEmail(email: string): Promise<User | undefined> {
    return this.context.stores.users.findByEmail(normaliseEmail(email));
  }

  /**
   * "Last used" is recorded at most once a minute per key and off the request path: SDK keys are
   * used on every config fetch and event batch, and a write per request would dominate their cost.
   */
  private touchLater(key: ApiKey): void {
    const now = this.context.now().getTime();
    const last = this.touched.get(key.id) ?? (key.lastUsedAt ? Date.parse(key.lastUsedAt) : 0);
    if (now - last < 60_000) return;
    this.touched.set(key.id, now);
    this.context.stores.apiKeys.touch(key.id, new Date(now).toISOString()).catch(() => {
      // Best effort by design: a failed "last used" update must not fail the request.
    });
  }
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}
