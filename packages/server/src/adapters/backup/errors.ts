/**
 * @module adapters/backup/errors
 * Failures an operator can act on, each with a message that says what to do.
 */

/** A backup or restore could not be carried out (no database, a tool failed, …). */
export class BackupError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BackupError';
  }
}

/** The restore target holds data and `--force` was not given. */
export class TargetNotEmptyError extends BackupError {
  constructor(
    readonly target: string,
    readonly tables: readonly string[],
  ) {
    const shown =
      tables.slice(0, 5).join(', ') + (tables.length > 5 ? `, and ${tables.length - 5} more` : '');
    super(
      `${target} is not empty (rows in ${shown}); restoring would replace its data. Restore into an empty database, or pass --force to replace it.`,
    );
    this.name = 'TargetNotEmptyError';
  }
}
