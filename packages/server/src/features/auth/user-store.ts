/**
 * @module features/auth/user-store
 * People and their sessions.
 */
import { type Kysely, type Selectable, sql } from 'kysely';
import { containsText } from '../../adapters/sql/contains-text.js';
import type { Database, UsersTable } from '../../adapters/sql/database.js';
import { isUniqueViolation } from '../../adapters/sql/unique-violation.js';
import { ConflictError } from '../../http/errors.js';
import type { User } from './user.js';

export interface NewUser {
  id: string;
  email: string;
  name: string;
  passwordHash: string;
  isInstanceAdmin: boolean;
  now: string;
}

export interface SessionRecord {
  userId: string;
  csrfToken: string;
  expiresAt: string;
}

/** What an instance administrator changes about an account's access. */
export interface AccessChange {
  disabled?: boolean;
  isInstanceAdmin?: boolean;
}

/** A page of accounts in email order (emails are unique and stored lower-cased). */
export interface UserListQuery {
  /** Case-insensitive text in the name or email. */
  search?: string;
  /** Accounts after this email. */
  after?: string;
  limit: number;
}

export interface UserStore {
  count(): Promise<number>;
  list(query: UserListQuery): Promise<User[]>;
  /** @throws ConflictError when the email is taken. */
  create(user: NewUser): Promise<User>;
  findById(id: string): Promise<User | undefined>;
  findByEmail(email: string): Promise<User | undefined>;
  /** The stored password hash, for verification only. */
  passwordHashOf(userId: string): Promise<string | undefined>;
  recordLogin(userId: string, now: string): Promise<void>;
  /**
   * Locks the rows of the enabled instance administrators for the rest of the transaction and
   * returns their ids (see KyselyUserStore for why an update).
   */
  lockEnabledInstanceAdmins(): Promise<string[]>;
  /** Sets what the account may do; returns the account as it is now, undefined if there is none. */
  updateAccess(userId: string, change: AccessChange & { now: string }): Promise<User | undefined>;
  /** Ends every session of the person (disabling signs them out everywhere). */
  deleteSessionsOf(userId: string): Promise<number>;
  createSession(session: SessionRecord & { tokenHash: string; now: string }): Promise<void>;
  /** The session, if it exists and has not expired at `now`. */
  findSession(tokenHash: string, now: string): Promise<SessionRecord | undefined>;
  deleteSession(tokenHash: string): Promise<void>;
  deleteExpiredSessions(now: string): Promise<number>;
}

export class KyselyUserStore implements UserStore {
  constructor(private readonly db: Kysely<Database>) {}

  async count(): Promise<number> {
    const row = await this.db
      .selectFrom('users')
      .select(sql<number>`count(*)`.as('count'))
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  async create(user: NewUser): Promise<User> {
    const row = {
      id: user.id,
      email: user.email,
      name: user.name,
      password_hash: user.passwordHash,
      is_instance_admin: user.isInstanceAdmin ? 1 : 0,
      disabled_at: null,
      created_at: user.now,
      updated_at: user.now,
      last_login_at: null,
      version: 1,
    };
    try {
      await this.db.insertInto('users').values(row).execute();
    } catch (error) {
      if (isUniqueViolation(error))
        throw new ConflictError(`A user with email "${user.email}" already exists.`);
      throw error;
    }
    return toUser(row);
  }

  async list(query: UserListQuery): Promise<User[]> {
    let select = this.db.selectFrom('users').selectAll().orderBy('email').limit(query.limit);
    if (query.after !== undefined) select = select.where('email', '>', query.after);
    const search = query.search;
    if (search !== undefined && search !== '') {
      select = select.where((where) => containsText(where, ['name', 'email'], search));
    }
    return (await select.execute()).map(toUser);
  }

  async findById(id: string): Promise<User | undefined> {
    const row = await this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toUser(row);
  }

  async findByEmail(email: string): Promise<User | undefined> {
    const row = await this.db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
    return row && toUser(row);
  }

  async passwordHashOf(userId: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('users')
      .select('password_hash')
      .where('id', '=', userId)
      .executeTakeFirst();
    return row?.password_hash;
  }

  async recordLogin(userId: string, now: string): Promise<void> {
    await this.db.updateTable('users').set({ last_login_at: now }).where('id', '=', userId).execute();
  }

  /**
   * A no-op update rather than `select … for update`: SQLite has no `for update` (it serialises
   * writers anyway), while PostgreSQL takes the same row locks for an update, and a transaction
   * that waited re-reads the rows, so two administrators demoting each other at once cannot both
   * see the other as "not the last one" and leave the instance with none.
   */
  async lockEnabledInstanceAdmins(): Promise<string[]> {
    const rows = await this.db
      .updateTable('users')
      .set({ is_instance_admin: sql<number>`is_instance_admin` })
      .where('is_instance_admin', '=', 1)
      .where('disabled_at', 'is', null)
      .returning('id')
      .execute();
    return rows.map((row) => row.id).sort();
  }

  async updateAccess(userId: string, change: AccessChange & { now: string }): Promise<User | undefined> {
    const row = await this.db
      .updateTable('users')
      .set({
        ...(change.isInstanceAdmin !== undefined && { is_instance_admin: change.isInstanceAdmin ? 1 : 0 }),
        // Keeps the time of the first disabling when disabled again.
        ...(change.disabled === true && { disabled_at: sql<string>`coalesce(disabled_at, ${change.now})` }),
        ...(change.disabled === false && { disabled_at: null }),
        updated_at: change.now,
        version: sql<number>`version + 1`,
      })
      .where('id', '=', userId)
      .returningAll()
      .executeTakeFirst();
    return row && toUser(row);
  }

  async deleteSessionsOf(userId: string): Promise<number> {
    const result = await this.db.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async createSession(session: SessionRecord & { tokenHash: string; now: string }): Promise<void> {
    await this.db
      .insertInto('sessions')
      .values({
        token_hash: session.tokenHash,
        user_id: session.userId,
        csrf_token: session.csrfToken,
        created_at: session.now,
        expires_at: session.expiresAt,
      })
      .execute();
  }

  async findSession(tokenHash: string, now: string): Promise<SessionRecord | undefined> {
    const row = await this.db
      .selectFrom('sessions')
      .select(['user_id', 'csrf_token', 'expires_at'])
      .where('token_hash', '=', tokenHash)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    return row && { userId: row.user_id, csrfToken: row.csrf_token, expiresAt: row.expires_at };
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
  }

  async deleteExpiredSessions(now: string): Promise<number> {
    const result = await this.db.deleteFrom('sessions').where('expires_at', '<=', now).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

function toUser(row: Selectable<UsersTable>): User {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    isInstanceAdmin: row.is_instance_admin === 1,
    disabled: row.disabled_at !== null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastLoginAt: row.last_login_at,
    version: row.version,
  };
}
