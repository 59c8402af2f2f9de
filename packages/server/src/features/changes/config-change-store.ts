/**
 * @module features/changes/config-change-store
 * The per-environment config version and the change records SDK delivery streams. Every change
 * that alters an environment's SDK payload bumps its version in the same transaction as the change.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../adapters/sql/database.js';
import type { ConfigBump } from '../../ports/change-notifier.js';

export type { ConfigBump };

export interface ConfigChange {
  sequence: number;
  projectId: string;
  environmentId: string;
  configVersion: number;
  resourceType: string;
  resourceKey: string;
  action: string;
  createdAt: string;
}

export interface ConfigChangeStore {
  bump(input: {
    projectId: string;
    environmentIds: readonly string[];
    resourceType: string;
    resourceKey: string;
    action: string;
    now: string;
  }): Promise<ConfigBump[]>;
  /** The time (ISO-8601) of the latest change to each resource of a type in one environment. */
  lastChanges(environmentId: string, resourceType: string): Promise<Map<string, string>>;
  /** Changes of one environment after `afterVersion`, oldest first. */
  since(environmentId: string, afterVersion: number, limit?: number): Promise<ConfigChange[]>;
}

export class KyselyConfigChangeStore implements ConfigChangeStore {
  constructor(private readonly db: Kysely<Database>) {}

  async bump(input: {
    projectId: string;
    environmentIds: readonly string[];
    resourceType: string;
    resourceKey: string;
    action: string;
    now: string;
  }): Promise<ConfigBump[]> {
    const bumps: ConfigBump[] = [];
    // Sorted, so two transactions bumping overlapping environments lock rows in the same order.
    for (const environmentId of [...input.environmentIds].sort()) {
      const row = await this.db
        .updateTable('environments')
        .set((eb) => ({ config_version: eb('config_version', '+', 1) }))
        .where('id', '=', environmentId)
        .returning('config_version')
        .executeTakeFirstOrThrow();
      await this.db
        .insertInto('config_changes')
        .values({
          project_id: input.projectId,
          environment_id: environmentId,
          config_version: row.config_version,
          resource_type: input.resourceType,
          resource_key: input.resourceKey,
          action: input.action,
          created_at: input.now,
        })
        .execute();
      bumps.push({ projectId: input.projectId, environmentId, configVersion: row.config_version });
    }
    return bumps;
  }

  async lastChanges(environmentId: string, resourceType: string): Promise<Map<string, string>> {
    const rows = await this.db
      .selectFrom('config_changes')
      .select((eb) => ['resource_key', eb.fn.max('created_at').as('last_changed_at')])
      .where('environment_id', '=', environmentId)
      .where('resource_type', '=', resourceType)
      .groupBy('resource_key')
      .execute();
    return new Map(rows.map((row) => [row.resource_key, new Date(row.last_changed_at).toISOString()]));
  }

  async since(environmentId: string, afterVersion: number, limit = 1_000): Promise<ConfigChange[]> {
    const rows = await this.db
      .selectFrom('config_changes')
      .selectAll()
      .where('environment_id', '=', environmentId)
      .where('config_version', '>', afterVersion)
      .orderBy('config_version')
      .limit(limit)
      .execute();
    return rows.map((row) => ({
      sequence: row.sequence,
      projectId: row.project_id,
      environmentId: row.environment_id,
      configVersion: row.config_version,
      resourceType: row.resource_type,
      resourceKey: row.resource_key,
      action: row.action,
      createdAt: row.created_at,
    }));
  }
}
