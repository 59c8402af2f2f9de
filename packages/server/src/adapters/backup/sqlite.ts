/**
 * @module adapters/backup/sqlite
 * The embedded database's backup and restore, both through SQLite's online backup API
 * (better-sqlite3's `backup()`): a backup is a consistent copy taken while the server keeps
 * writing, and a restore copies pages into the target through SQLite's own locking and journal,
 * so the target's WAL is handled correctly (copying files by hand would leave a stale `-wal`).
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { BackupError, TargetNotEmptyError } from './errors.js';
import { latestMigration, tablesWithRows } from './tables.js';

/** Copies the database at `file` into `payload` (a new SQLite file); returns its latest migration. */
export async function backupSqlite(file: string, payload: string): Promise<string | null> {
  if (!existsSync(file))
    throw new BackupError(`There is no embedded database at ${file} (check CLEAVE_DATA_DIR).`);
  const source = new SQLite(file, { fileMustExist: true });
  try {
    // Like the server's own connection: wait for a writer instead of failing.
    source.pragma('busy_timeout = 5000');
    await source.backup(payload);
  } finally {
    source.close();
  }
  return withDatabase(payload, { readonly: true }, latestMigration);
}

/**
 * Copies the SQLite file `payload` into the database at `target`.
 * @throws TargetNotEmptyError when the target holds data and `force` is not set.
 */
export async function restoreSqlite(payload: string, target: string, force: boolean): Promise<void> {
  const source = new SQLite(payload, { readonly: true, fileMustExist: true });
  try {
    const check = source.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new BackupError(`The backup's database is corrupt: ${String(check)}`);
    if (existsSync(target)) {
      const tables = await withDatabase(target, { readonly: false }, tablesWithRows);
      if (tables.length > 0 && !force) throw new TargetNotEmptyError(target, tables);
    } else {
      mkdirSync(path.dirname(target), { recursive: true });
    }
    await source.backup(target);
  } finally {
    source.close();
  }
}

async function withDatabase<T>(
  file: string,
  options: { readonly: boolean },
  // biome-ignore lint/suspicious/noExplicitAny: these helpers read databases of any schema version.
  work: (db: Kysely<any>) => Promise<T>,
): Promise<T> {
  const connection = new SQLite(file, { readonly: options.readonly, fileMustExist: true });
  connection.pragma('busy_timeout = 5000');
  // biome-ignore lint/suspicious/noExplicitAny: as above.
  const db = new Kysely<any>({ dialect: new SqliteDialect({ database: connection }) });
  try {
    return await work(db);
  } finally {
    await db.destroy();
  }
}
