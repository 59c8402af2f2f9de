/**
 * @module adapters/backup/postgres
 * PostgreSQL's backup and restore through `pg_dump --format=custom` and `pg_restore`. The dump
 * runs in a snapshot this module exports and holds open, so the header's migration name and the
 * dump describe the same instant; the restore runs in one transaction, so a failure leaves the
 * target as it was after it was cleared. The client tools' major version must be at least the
 * server's (pg_dump refuses otherwise, and its message is passed on).
 */
import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { BackupError, TargetNotEmptyError } from './errors.js';
import { tablesWithRows } from './tables.js';

/** Dumps the database at `url` into `payload`; returns its latest migration. */
export async function backupPostgres(url: string, payload: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    await client.query('begin isolation level repeatable read read only');
    const snapshot = (await client.query<{ id: string }>('select pg_export_snapshot() as id')).rows[0]?.id;
    if (!snapshot) throw new BackupError('PostgreSQL did not export a snapshot');
    const migration = await migrationIn(client);
    await runTool(
      'pg_dump',
      [
        '--format=custom',
        '--no-owner',
        '--no-privileges',
        `--snapshot=${snapshot}`,
        `--file=${payload}`,
        ...connectionArguments(url).args,
      ],
      connectionArguments(url).env,
    );
    await client.query('commit');
    return migration;
  } finally {
    await client.end();
  }
}

async function migrationIn(client: pg.Client): Promise<string | null> {
  const exists = await client.query(`select to_regclass('kysely_migration') is not null as present`);
  if (!exists.rows[0]?.present) return null;
  const { rows } = await client.query<{ name: string }>(
    'select name from kysely_migration order by name desc limit 1',
  );
  return rows[0]?.name ?? null;
}

/**
 * Restores the archive in `file` (from byte `offset`) into the database at `url`.
 * @throws TargetNotEmptyError when the target holds data and `force` is not set.
 */
export async function restorePostgres(
  url: string,
  file: string,
  offset: number,
  force: boolean,
): Promise<void> {
  const pool = new pg.Pool({ connectionString: url, max: 1, connectionTimeoutMillis: 5_000 });
  // biome-ignore lint/suspicious/noExplicitAny: the target may hold any schema version, or none.
  const db = new Kysely<any>({ dialect: new PostgresDialect({ pool }) });
  try {
    const tables = await tablesWithRows(db);
    if (tables.length > 0 && !force) throw new TargetNotEmptyError(redacted(url), tables);
    await clearPublicSchema(db);
  } finally {
    await db.destroy();
  }
  const { args, env } = connectionArguments(url);
  await runTool(
    'pg_restore',
    ['--single-transaction', '--exit-on-error', '--no-owner', '--no-privileges', ...args],
    env,
    createReadStream(file, { start: offset }),
  );
}

/**
 * Drops every table in the `public` schema. Even an empty target may hold a schema (a server that
 * started on it migrated it), which the archive's `create table` statements would collide with.
 */
// biome-ignore lint/suspicious/noExplicitAny: as above.
async function clearPublicSchema(db: Kysely<any>): Promise<void> {
  await db.transaction().execute(async (tx) => {
    // Partitions go with their parent; dropping parents first keeps each statement valid.
    const { rows } = await sql<{ name: string }>`
      select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition`.execute(tx);
    for (const { name } of rows)
      await sql`drop table if exists ${sql.table(`public.${name}`)} cascade`.execute(tx);
  });
}

/**
 * libpq arguments for `url`, with the password moved into the environment so it never shows in
 * the process list. `sslmode=no-verify` (node-postgres's "encrypt, do not verify", which the AWS
 * launch command uses for RDS) is libpq's `require`; libpq refuses the former.
 */
export function connectionArguments(url: string): { args: string[]; env: Record<string, string> } {
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password);
  parsed.password = '';
  if (parsed.searchParams.get('sslmode') === 'no-verify') parsed.searchParams.set('sslmode', 'require');
  return { args: [`--dbname=${parsed.toString()}`], env: password ? { PGPASSWORD: password } : {} };
}

function redacted(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

function runTool(
  command: string,
  args: string[],
  env: Record<string, string>,
  input?: NodeJS.ReadableStream,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: { ...process.env, ...env },
      stdio: [input ? 'pipe' : 'ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    if (input && child.stdin) {
      // pg_restore closing its input early (it failed) is reported by its exit code, not here.
      child.stdin.on('error', () => {});
      input.pipe(child.stdin);
    }
    child.on('error', (error) =>
      reject(
        new BackupError(
          `Could not run ${command} (${error.message}); install the PostgreSQL client tools, version at least the server's`,
          { cause: error },
        ),
      ),
    );
    child.on('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new BackupError(`${command} failed (${signal ?? `exit ${code}`}): ${stderr.trim()}`));
    });
  });
}
