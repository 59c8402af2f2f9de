/**
 * Disabled accounts: `users.disabled_at` is set when an instance administrator takes someone's
 * access away (offboarding) and cleared when it is given back. The row stays, so audit records keep
 * naming the person and their project memberships come back with them. Nullable, so code of the
 * previous release reads and writes the table as before. Frozen once merged.
 */
import type { Kysely } from 'kysely';
import type { SqlDialect } from '../sql-database.js';
import { columnTypes } from './column-types.js';

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's Database type.
type AnyDatabase = Kysely<any>;

export function disabledAccounts(dialect: SqlDialect) {
  const types = columnTypes(dialect);
  return {
    async up(db: AnyDatabase): Promise<void> {
      await db.schema.alterTable('users').addColumn('disabled_at', types.timestamp).execute();
    },
    async down(db: AnyDatabase): Promise<void> {
      await db.schema.alterTable('users').dropColumn('disabled_at').execute();
    },
  };
}
