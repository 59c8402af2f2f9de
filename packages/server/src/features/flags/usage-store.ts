/**
 * @module features/flags/usage-store
 * When the server last evaluated each flag in each environment. Times only move forward, so nodes
 * flushing out of order never move one back.
 */
import type { SqlExecutor } from '../../adapters/sql/transactor.js';

export interface FlagUsage {
  projectId: string;
  environmentId: string;
  flagKey: string;
  /** ISO-8601. */
  evaluatedAt: string;
}

/** Rows per INSERT: 4 parameters each, well under SQLite's limit. */
const ROWS_PER_INSERT = 500;

export class FlagUsageStore {
  constructor(private readonly db: SqlExecutor) {}

  async record(usages: readonly FlagUsage[]): Promise<void> {
    for (let start = 0; start < usages.length; start += ROWS_PER_INSERT) {
      const rows = usages.slice(start, start + ROWS_PER_INSERT).map((usage) => ({
        environment_id: usage.environmentId,
        flag_key: usage.flagKey,
        project_id: usage.projectId,
        last_evaluated_at: usage.evaluatedAt,
      }));
      await this.db
        .insertInto('flag_usage')
        .values(rows)
        .onConflict((conflict) =>
          conflict
            .columns(['environment_id', 'flag_key'])
            .doUpdateSet((eb) => ({ last_evaluated_at: eb.ref('excluded.last_evaluated_at') }))
            .whereRef('flag_usage.last_evaluated_at', '<', 'excluded.last_evaluated_at'),
        )
        .execute();
    }
  }

  /** Last evaluation time (ISO-8601) by flag key, for the flags evaluated at least once. */
  async lastEvaluated(environmentId: string): Promise<Map<string, string>> {
    const rows = await this.db
      .selectFrom('flag_usage')
      .select(['flag_key', 'last_evaluated_at'])
      .where('environment_id', '=', environmentId)
      .execute();
    return new Map(rows.map((row) => [row.flag_key, new Date(row.last_evaluated_at).toISOString()]));
  }
}
