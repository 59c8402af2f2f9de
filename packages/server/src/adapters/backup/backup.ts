/**
 * @module adapters/backup/backup
 * `cleave backup` and `cleave restore` for either database: the payload comes from the dialect's
 * module, the header (adapters/backup/format.ts) is the same for both. A backup is written beside
 * its destination and renamed into place when complete, so a failed backup never leaves a file
 * that looks like a good one. A restore checks the whole file before it touches the target, then
 * migrates the restored database to the latest schema: a backup taken by an older Cleave comes
 * back upgraded.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, open, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { DatabaseConfig } from '../../runtime/config.js';
import { CLEAVE_VERSION } from '../../runtime/version.js';
import { connectDatabase } from '../connect-database.js';
import { migrateToLatest } from '../sql/migrate.js';
import { migrationsFor } from '../sql/migrations/index.js';
import {
  BACKUP_FORMAT,
  BACKUP_FORMAT_VERSION,
  BackupFormatError,
  type BackupHeader,
  encodeHeader,
  readBackup,
  sha256,
} from './format.js';
import { backupPostgres, restorePostgres } from './postgres.js';
import { backupSqlite, restoreSqlite } from './sqlite.js';

/** Backs up the configured database into `file` (replaced if it exists); returns the header written. */
export async function createBackup(database: DatabaseConfig, file: string): Promise<BackupHeader> {
  const work = await mkdtemp(path.join(path.dirname(path.resolve(file)), '.cleave-backup-'));
  try {
    const payload = path.join(work, 'payload');
    const migration =
      database.kind === 'sqlite'
        ? await backupSqlite(database.file, payload)
        : await backupPostgres(database.url, payload);
    const header: BackupHeader = {
      format: BACKUP_FORMAT,
      formatVersion: BACKUP_FORMAT_VERSION,
      dialect: database.kind,
      migration,
      createdAt: new Date().toISOString(),
      cleaveVersion: CLEAVE_VERSION,
      payload: database.kind === 'sqlite' ? 'sqlite-database' : 'pg-dump-custom',
      payloadBytes: (await stat(payload)).size,
      payloadSha256: await sha256(payload),
    };
    const partial = path.join(work, 'backup');
    const output = createWriteStream(partial);
    output.write(encodeHeader(header));
    await pipeline(createReadStream(payload), output);
    await syncFile(partial);
    await rename(partial, file);
    return header;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

export interface RestoreReport {
  header: BackupHeader;
  /** Migrations applied after the restore, to bring an older backup to the latest schema. */
  migrated: string[];
}

/**
 * Restores `file` into the configured database, then migrates it to the latest schema.
 * @throws BackupFormatError for a file this Cleave cannot restore (nothing is touched).
 * @throws TargetNotEmptyError when the target holds data and `force` is not set.
 */
export async function restoreBackup(
  database: DatabaseConfig,
  file: string,
  options: { force: boolean },
): Promise<RestoreReport> {
  const { header, payloadOffset } = await readBackup(file);
  if (header.dialect !== database.kind) {
    throw new BackupFormatError(
      `${file} is a backup of ${describe(header.dialect)}; the configured database is ${describe(database.kind)}`,
    );
  }
  const known = Object.keys(migrationsFor(header.dialect));
  if (header.migration !== null && !known.includes(header.migration)) {
    throw new BackupFormatError(
      `${file} was taken by Cleave ${header.cleaveVersion} at migration ${header.migration}, which this Cleave (${CLEAVE_VERSION}) does not know; restore it with that version or a later one`,
    );
  }
  if (database.kind === 'sqlite') {
    const work = await mkdtemp(path.join(tmpdir(), 'cleave-restore-'));
    try {
      const payload = path.join(work, 'payload.db');
      await pipeline(createReadStream(file, { start: payloadOffset }), createWriteStream(payload));
      await restoreSqlite(payload, database.file, options.force);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  } else {
    await restorePostgres(database.url, file, payloadOffset, options.force);
  }
  const connection = connectDatabase(database);
  try {
    const { applied } = await migrateToLatest(connection);
    return { header, migrated: applied };
  } finally {
    await connection.close();
  }
}

function describe(dialect: 'sqlite' | 'postgres'): string {
  return dialect === 'sqlite'
    ? 'the embedded SQLite database (CLEAVE_DATA_DIR)'
    : 'PostgreSQL (DATABASE_URL)';
}

/** A backup must survive the machine losing power right after `cleave backup` reports success. */
async function syncFile(file: string): Promise<void> {
  const handle = await open(file, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
