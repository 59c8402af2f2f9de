/**
 * @module adapters/backup/tables
 * What a database holds, table by table, found by introspection so that a table added by a new
 * migration is covered without anyone remembering to list it. Kysely's own migration tables are
 * left out: a freshly migrated database has rows there but holds no data.
 */
import { type Kysely, sql } from 'kysely';

export interface TableName {
  schema: string | undefined;
  name: string;
}

// biome-ignore lint/suspicious/noExplicitAny: introspection reads databases of any schema version.
type AnyKysely = Kysely<any>;

export async function listTables(db: AnyKysely): Promise<TableName[]> {
  const tables = await db.introspection.getTables();
  return tables
    .filter((table) => !table.isView)
    .map((table) => ({ schema: table.schema, name: table.name }))
    .sort((a, b) => qualified(a).localeCompare(qualified(b)));
}

/** The table's name, schema-qualified outside PostgreSQL's default `public` schema. */
function qualified(table: TableName): string {
  return table.schema && table.schema !== 'public' ? `${table.schema}.${table.name}` : table.name;
}

function reference(table: TableName) {
  return table.schema ? sql.table(`${table.schema}.${table.name}`) : sql.table(table.name);
}

/** Tables holding at least one row: a target with any of these would be overwritten by a restore. */
export async function tablesWithRows(db: AnyKysely): Promise<string[]> {
  const nonEmpty: string[] = [];
  for (const table of await listTables(db)) {
    const { rows } = await sql<{ one: number }>`select 1 as one from ${reference(table)} limit 1`.execute(db);
    if (rows.length > 0) nonEmpty.push(qualified(table));
  }
  return nonEmpty;
}

/** Row count of every table, by qualified name. */
export async function rowCounts(db: AnyKysely): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of await listTables(db)) {
    const { rows } = await sql<{
      count: number | string;
    }>`select count(*) as count from ${reference(table)}`.execute(db);
    counts[qualified(table)] = Number(rows[0]?.count ?? 0);
  }
  return counts;
}

/** The latest migration applied (migrations are named in order), or null if none ever ran. */
export async function latestMigration(db: AnyKysely): Promise<string | null> {
  const tables = await db.introspection.getTables({ withInternalKyselyTables: true });
  if (!tables.some((table) => table.name === 'kysely_migration')) return null;
  const { rows } = await sql<{
    name: string;
  }>`select name from kysely_migration order by name desc limit 1`.execute(db);
  return rows[0]?.name ?? null;
}
