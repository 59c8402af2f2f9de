/**
 * @module cli/commands
 * The `cleave` command line: `backup <file>`, `restore <file> [--force]` and `migrate`, against
 * the database the server would use (same variables: `DATABASE_URL` or `CLEAVE_DATA_DIR`).
 * Returns the exit code instead of exiting, so tests run it in-process: 0 done, 1 failed (the
 * reason on stderr, one line), 2 bad usage.
 */
import { createBackup, restoreBackup } from '../adapters/backup/backup.js';
import { BackupError } from '../adapters/backup/errors.js';
import { BackupFormatError } from '../adapters/backup/format.js';
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
The database is the server's: DATABASE_URL (PostgreSQL) or the embedded one in CLEAVE_DATA_DIR.`;

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
    const file = operands[0] ?? '';
    if (command === 'backup') {
      const header = await createBackup(database, file);
      output.out(
        `Backed up ${target(database)} (migration ${header.migration ?? 'none'}) to ${file}: ${header.payloadBytes} bytes.`,
      );
    } else if (command === 'restore') {
      const { header, migrated } = await restoreBackup(database, file, { force: flags.includes('--force') });
      output.out(
        `Restored ${file} (taken ${header.createdAt} by Cleave ${header.cleaveVersion}) into ${target(database)}` +
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
