/**
 * @module cli/commands
 * The `cleave` command line: `backup <file>`, `restore <file> [--force]` and `migrate`, against
 * the database the server would use (same variables: `DATABASE_URL` or `CLEAVE_DATA_DIR`).
 * Returns the exit code instead of exiting, so tests run it in-process: 0 done, 1 failed (the
 * reason on stderr, one line), 2 bad usage.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createBackup, restoreBackup } from '../adapters/backup/backup.js';
import { BackupError } from '../adapters/backup/errors.js';
import { BackupFormatError } from '../adapters/backup/format.js';
import {
  downloadBackup,
  isS3Url,
  parseS3Url,
  s3SettingsFrom,
  s3Url,
  uploadBackup,
} from '../adapters/backup/s3.js';
import { connectDatabase } from '../adapters/connect-database.js';
import { migrateToLatest } from '../adapters/sql/migrate.js';
import { ConfigError, type DatabaseConfig, loadConfig } from '../runtime/config.js';

export interface CommandOutput {
  out(line: string): void;
  err(line: string): void;
}

export const USAGE = `Usage: cleave <command>
  backup <file>             back up the configured database into <file>
  restore <file> [--force]  restore <file> into the configured database (--force: replace its data)
  migrate                   apply pending migrations
The database is the server's: DATABASE_URL (PostgreSQL) or the embedded one in CLEAVE_DATA_DIR.
<file> may be s3://bucket/key (a key ending in / is a folder: the backup is named by its time);
credentials come from the AWS SDK's chain (task role, AWS_* variables), CLEAVE_BACKUP_S3_ENDPOINT
names an S3-compatible endpoint.`;

export async function runCleave(
  args: readonly string[],
  env: Record<string, string | undefined>,
  output: CommandOutput,
): Promise<number> {
  const [command, ...rest] = args;
  const flags = rest.filter((argument) => argument.startsWith('--'));
  const operands = rest.filter((argument) => !argument.startsWith('--'));
  const allowedFlags = command === 'restore' ? ['--force'] : [];
  const unknownFlag = flags.find((flag) => !allowedFlags.includes(flag));
  const expectedOperands = command === 'migrate' ? 0 : 1;
  if (
    (command !== 'backup' && command !== 'restore' && command !== 'migrate') ||
    unknownFlag !== undefined ||
    operands.length !== expectedOperands
  ) {
    if (command !== undefined && command !== 'help' && command !== '--help')
      output.err(unknownFlag ? `Unknown option ${unknownFlag}` : `Cannot run: cleave ${args.join(' ')}`);
    output.err(USAGE);
    return 2;
  }
  try {
    const { database } = loadConfig(env);
    const operand = operands[0] ?? '';
    const s3 = s3SettingsFrom(env);
    if (command === 'backup') {
      const remote = isS3Url(operand) ? parseS3Url(operand) : undefined;
      const { header, shown } = await withLocalFile(remote !== undefined, operand, async (file) => {
        const written = await createBackup(database, file);
        if (remote) await uploadBackup(file, remote, s3);
        return { header: written, shown: remote ? s3Url(remote) : file };
      });
      output.out(
        `Backed up ${target(database)} (migration ${header.migration ?? 'none'}) to ${shown}: ${header.payloadBytes} bytes.`,
      );
    } else if (command === 'restore') {
      if (isS3Url(operand) && (operand.endsWith('/') || !operand.slice(5).includes('/')))
        throw new BackupError(
          `Restore needs one backup: give its full key (s3://bucket/key), not ${operand}.`,
        );
      const remote = isS3Url(operand) ? parseS3Url(operand) : undefined;
      const { header, migrated } = await withLocalFile(remote !== undefined, operand, async (local) => {
        if (remote) await downloadBackup(remote, local, s3);
        return restoreBackup(database, local, { force: flags.includes('--force') });
      });
      output.out(
        `Restored ${operand} (taken ${header.createdAt} by Cleave ${header.cleaveVersion}) into ${target(database)}` +
          (migrated.length > 0
            ? `, then applied ${migrated.length} migration(s): ${migrated.join(', ')}.`
            : '.'),
      );
    } else {
      const connection = connectDatabase(database);
      try {
        const { applied } = await migrateToLatest(connection);
        output.out(
          applied.length === 0
            ? `Database ${target(database)} is up to date.`
            : `Applied ${applied.length} migration(s) to ${target(database)}: ${applied.join(', ')}`,
        );
      } finally {
        await connection.close();
      }
    }
    return 0;
  } catch (error) {
    output.err(describeFailure(command, error));
    return 1;
  }
}

/**
 * Runs `work` on the operand itself, or, for an S3 location, on a file in a fresh temporary folder
 * (removed afterwards, whatever happens).
 */
async function withLocalFile<T>(
  remote: boolean,
  operand: string,
  work: (file: string) => Promise<T>,
): Promise<T> {
  if (!remote) return work(operand);
  const folder = await mkdtemp(path.join(tmpdir(), 'cleave-s3-'));
  try {
    return await work(path.join(folder, 'backup'));
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

function target(database: DatabaseConfig): string {
  return database.kind === 'postgres' ? 'PostgreSQL' : database.file;
}

function describeFailure(command: string, error: unknown): string {
  if (error instanceof ConfigError || error instanceof BackupError || error instanceof BackupFormatError)
    return error.message;
  const message = error instanceof Error ? error.message : String(error);
  const what = command === 'migrate' ? 'Migration' : command === 'backup' ? 'Backup' : 'Restore';
  return `${what} failed: ${message}`;
}
