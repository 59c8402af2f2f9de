/**
 * @module adapters/sql/database
 * The typed shape of Cleave's SQL database, shared by the SQLite and PostgreSQL dialects.
 *
 * Both drivers are configured to return the same runtime types, so stores never branch on dialect:
 * - timestamps are ISO-8601 UTC strings (`text` in SQLite, `timestamptz` parsed to ISO in Postgres);
 * - JSON columns are strings (`text` in SQLite, `jsonb` returned unparsed by Postgres);
 * - booleans are integers 0/1 in both (SQLite has no boolean type);
 * - 64-bit counts may come back as strings from Postgres: convert with `Number()` in the store.
 */
import type { Generated } from 'kysely';

/** ISO-8601 UTC time, written as a string. */
export type Timestamp = string;
/** JSON text: serialise on write, parse on read. */
export type JsonText = string;

export interface ProjectsTable {
  id: string;
  key: string;
  name: string;
  description: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: number;
}

export interface EnvironmentsTable {
  id: string;
  project_id: string;
  key: string;
  name: string;
  position: number;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: number;
}

export interface UsersTable {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  last_login_at: Timestamp | null;
  version: number;
}

export type ApiKeyKind = 'sdk' | 'server' | 'admin';

export interface ApiKeysTable {
  id: string;
  project_id: string;
  environment_id: string | null;
  kind: ApiKeyKind;
  name: string;
  /** Shown in lists so people can tell keys apart; the secret itself is never stored. */
  prefix: string;
  secret_hash: string;
  created_by: string | null;
  created_at: Timestamp;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

export interface AuditLogTable {
  /** Monotonic within a database, so the log has a total order even within one millisecond. */
  sequence: Generated<number>;
  id: string;
  project_id: string | null;
  actor_type: string;
  actor_id: string | null;
  action: string;
  resource_type: string;
  resource_id: string | null;
  before: JsonText | null;
  after: JsonText | null;
  request_id: string | null;
  created_at: Timestamp;
}

export interface Database {
  projects: ProjectsTable;
  environments: EnvironmentsTable;
  users: UsersTable;
  api_keys: ApiKeysTable;
  audit_log: AuditLogTable;
}
