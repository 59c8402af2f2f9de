/**
 * @module features/analysis/snapshot-store
 * Result snapshots: what an analysis computed (outputs), from what (inputs: the analysed period,
 * metric definitions, the sufficient statistics), with which settings, and when. Results are
 * read from here, never recomputed on read.
 */
import type { Kysely, Selectable } from 'kysely';
import type { AnalysisSnapshotsTable, Database } from '../../adapters/sql/database.js';

export interface Snapshot<Settings = unknown, Inputs = unknown, Outputs = unknown> {
  id: string;
  projectId: string;
  experimentKey: string;
  environmentId: string;
  jobId: string | null;
  computedAt: string;
  settings: Settings;
  inputs: Inputs;
  outputs: Outputs;
}

export interface SnapshotStore {
  save(snapshot: Snapshot): Promise<void>;
  /** The most recent snapshot of an experiment in an environment. */
  latest(projectId: string, experimentKey: string, environmentId: string): Promise<Snapshot | undefined>;
  /** Environments an experiment has snapshots in. */
  environmentsOf(projectId: string, experimentKey: string): Promise<string[]>;
}

function toSnapshot(row: Selectable<AnalysisSnapshotsTable>): Snapshot {
  return {
    id: row.id,
    projectId: row.project_id,
    experimentKey: row.experiment_key,
    environmentId: row.environment_id,
    jobId: row.job_id,
    computedAt: row.computed_at,
    settings: JSON.parse(row.settings),
    inputs: JSON.parse(row.inputs),
    outputs: JSON.parse(row.outputs),
  };
}

export class KyselySnapshotStore implements SnapshotStore {
  constructor(private readonly db: Kysely<Database>) {}

  async save(snapshot: Snapshot): Promise<void> {
    await this.db
      .insertInto('analysis_snapshots')
      .values({
        id: snapshot.id,
        project_id: snapshot.projectId,
        experiment_key: snapshot.experimentKey,
        environment_id: snapshot.environmentId,
        job_id: snapshot.jobId,
        computed_at: snapshot.computedAt,
        settings: JSON.stringify(snapshot.settings),
        inputs: JSON.stringify(snapshot.inputs),
        outputs: JSON.stringify(snapshot.outputs),
      })
      .execute();
  }

  async latest(projectId: string, experimentKey: string, environmentId: string) {
    const row = await this.db
      .selectFrom('analysis_snapshots')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('experiment_key', '=', experimentKey)
      .where('environment_id', '=', environmentId)
      .orderBy('computed_at', 'desc')
      .orderBy('id', 'desc')
      .executeTakeFirst();
    return row && toSnapshot(row);
  }

  async environmentsOf(projectId: string, experimentKey: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('analysis_snapshots')
      .select('environment_id')
      .distinct()
      .where('project_id', '=', projectId)
      .where('experiment_key', '=', experimentKey)
      .execute();
    return rows.map((row) => row.environment_id);
  }
}
