/**
 * @module adapters/sql/database
 * The typed shape of Cleave's SQL database, shared by the SQLite and PostgreSQL dialects.
 *
 * Both drivers are configured to return the same runtime types, so stores never branch on dialect:
 * - timestamps are ISO-8601 UTC strings (`text` in SQLite, `timestamptz` parsed to ISO in Postgres);
 * - JSON columns are strings (`text` in SQLite, `jsonb` returned unparsed by Postgres);
 * - booleans are integers 0/1 in both (SQLite has no boolean type);
 * - 64-bit counts may come back as strings from Postgres: convert with `Number()` in the store.
 */
import type { ApiKeyKind, EventType, ProjectRole } from '@cleave/core';
import type { Generated } from 'kysely';

/** ISO-8601 UTC time, written as a string. */
export type Timestamp = string;
/** JSON text: serialise on write, parse on read. */
export type JsonText = string;

export interface ProjectsTable {
  id: string;
  key: string;
  name: string;
  description: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: number;
}

export interface EnvironmentsTable {
  id: string;
  project_id: string;
  key: string;
  name: string;
  position: number;
  /** Incremented by every change that alters this environment's SDK config payload. */
  config_version: number;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: number;
}

export interface UsersTable {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  last_login_at: Timestamp | null;
  /** 0/1: may create projects and users across the instance (the first sign-up is one). */
  is_instance_admin: number;
  /** Set while an instance administrator has disabled the account: it cannot sign in. */
  disabled_at: Timestamp | null;
  version: number;
}

export interface ApiKeysTable {
  id: string;
  project_id: string;
  environment_id: string | null;
  kind: ApiKeyKind;
  name: string;
  /** Shown in lists so people can tell keys apart; the secret itself is never stored. */
  prefix: string;
  secret_hash: string;
  created_by: string | null;
  created_at: Timestamp;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

export interface AuditLogTable {
  /** Monotonic within a database, so the log has a total order even within one millisecond. */
  sequence: Generated<number>;
  id: string;
  project_id: string | null;
  actor_type: string;
  actor_id: string | null;
  action: string;
  resource_type: string;
  resource_id: string | null;
  before: JsonText | null;
  after: JsonText | null;
  request_id: string | null;
  created_at: Timestamp;
}

export interface ProjectMembersTable {
  project_id: string;
  user_id: string;
  role: ProjectRole;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface SessionsTable {
  /** SHA-256 of the cookie value: a leaked database does not yield usable sessions. */
  token_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: Timestamp;
  expires_at: Timestamp;
}

/** Flags, segments, layers, holdouts, experiments and metrics: a validated JSON definition plus query columns. */
export interface DefinitionsTable {
  id: string;
  project_id: string;
  key: string;
  name: string;
  description: string;
  tags: JsonText;
  /** `active` or `archived`; experiments use their lifecycle: draft, running, stopped, archived. */
  status: string;
  definition: JsonText;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: number;
}

/**
 * The references index: definition `from` references definition `to` by key. Kinds are the
 * definition tables' names. Maintained by the definitions store in every definition write.
 */
export interface DefinitionReferencesTable {
  project_id: string;
  from_kind: string;
  from_key: string;
  to_kind: string;
  to_key: string;
}

export interface WebhooksTable {
  id: string;
  project_id: string;
  url: string;
  description: string;
  secret: string;
  events: JsonText;
  enabled: number;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: number;
}

export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface WebhookDeliveriesTable {
  id: string;
  webhook_id: string;
  event_id: string;
  event_type: string;
  payload: JsonText;
  status: WebhookDeliveryStatus;
  attempts: number;
  next_attempt_at: Timestamp | null;
  last_status_code: number | null;
  last_error: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ConfigChangesTable {
  sequence: Generated<number>;
  project_id: string;
  environment_id: string;
  config_version: number;
  resource_type: string;
  resource_key: string;
  action: string;
  created_at: Timestamp;
}

/** When the server last evaluated a flag in an environment. */
export interface FlagUsageTable {
  environment_id: string;
  flag_key: string;
  project_id: string;
  last_evaluated_at: Timestamp;
}

export interface EventsTable {
  event_id: string;
  project_id: string;
  environment_id: string;
  type: EventType;
  unit_id: string;
  /** Exposures: the experiment and variation the unit was assigned. */
  experiment: string | null;
  variant: string | null;
  /** Tracked events: the name and optional numeric value. */
  event_name: string | null;
  value: number | null;
  /** Exposure attributes or tracked-event properties. */
  properties: JsonText | null;
  occurred_at: Timestamp;
  received_at: Timestamp;
  /** PostgreSQL: the order rows were stored in (null before migration 007). SQLite uses `rowid`. */
  ingest_seq?: string | null;
}

export type AnalysisJobStatus = 'queued' | 'running' | 'succeeded' | 'failed';

export interface AnalysisJobsTable {
  id: string;
  project_id: string;
  /** `experiment-analysis` for now; the column lets other job kinds share the table. */
  type: string;
  experiment_key: string;
  environment_id: string;
  status: AnalysisJobStatus;
  /** 0 to 1. */
  progress: number;
  attempts: number;
  error: string | null;
  snapshot_id: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
}

export interface AnalysisSnapshotsTable {
  id: string;
  project_id: string;
  experiment_key: string;
  environment_id: string;
  job_id: string | null;
  computed_at: Timestamp;
  settings: JsonText;
  inputs: JsonText;
  outputs: JsonText;
}

/** The project an instance seeded as its demo (features/demo). */
export interface DemoProjectsTable {
  project_id: string;
  created_at: Timestamp;
}

/** Per-unit analysis facts of one experiment in one environment (migration 007). */
export interface AnalysisFactSetsTable {
  id: Generated<number>;
  project_id: string;
  environment_id: string;
  experiment_key: string;
  start_at: Timestamp | null;
  /** The facts include every event stored at or before this ingestion order. */
  watermark: string | number;
  /** The id of the event stored at the watermark, to notice a renumbered order. */
  watermark_event: string | null;
  earliest_t0: Timestamp | null;
  updated_at: Timestamp;
}

/**
 * Per slot (0…7) a copy of a unit's value (`v`), denominator (`d`) and covariate (`c`) of the
 * metric facts holding that slot (`analysis_fact_metrics.slot`), so an analysis reads one row per
 * unit for all its metrics.
 */
type AnalysisUnitSlotColumns = {
  [Column in `${'v' | 'd' | 'c'}${0 | 1 | 2 | 3 | 4 | 5 | 6 | 7}`]: number | null;
};

export interface AnalysisUnitExposuresTable extends AnalysisUnitSlotColumns {
  set_id: number;
  unit_id: string;
  variant: string;
  t0: Timestamp;
  mixed_at: Timestamp | null;
  t0_seq: string | number;
  changed_seq: string | number;
}

export interface AnalysisFactMetricsTable {
  id: Generated<number>;
  set_id: number;
  metric_hash: string;
  watermark: string | number;
  lookback_seconds: number;
  /** The slot of the units' rows carrying a copy of these facts' values; null when none was free. */
  slot: number | null;
}

export interface AnalysisUnitMetricsTable {
  metric_id: number;
  unit_id: string;
  variant: string;
  t0: Timestamp;
  mixed_at: Timestamp | null;
  value: number;
  denominator: number | null;
  covariate: number | null;
}

export interface AnalysisUnitDaysTable {
  metric_id: number;
  unit_id: string;
  day: string;
  value: number;
  denominator: number | null;
}

/** Which stored series points of a metric's facts are current (`analysis-series.ts`). */
export interface AnalysisSeriesStateTable {
  metric_id: number;
  settings_key: string;
  /** The fact set's watermark when the stored points were last brought up to date. */
  watermark: number;
}

/** One stored daily series point: a variant's sums as of the end of `day` (UTC, `YYYY-MM-DD`). */
export interface AnalysisSeriesDaysTable {
  metric_id: number;
  settings_key: string;
  day: string;
  variant: string;
  n: number;
  value_sum: number | null;
  value_squares: number | null;
  covariate_sum: number | null;
  covariate_squares: number | null;
  covariate_product: number | null;
  denominator_sum: number | null;
  denominator_squares: number | null;
  denominator_product: number | null;
}

export interface Database {
  projects: ProjectsTable;
  environments: EnvironmentsTable;
  users: UsersTable;
  api_keys: ApiKeysTable;
  audit_log: AuditLogTable;
  project_members: ProjectMembersTable;
  sessions: SessionsTable;
  flags: DefinitionsTable;
  segments: DefinitionsTable;
  layers: DefinitionsTable;
  holdouts: DefinitionsTable;
  experiments: DefinitionsTable;
  metrics: DefinitionsTable;
  definition_references: DefinitionReferencesTable;
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
  config_changes: ConfigChangesTable;
  flag_usage: FlagUsageTable;
  events: EventsTable;
  analysis_jobs: AnalysisJobsTable;
  analysis_snapshots: AnalysisSnapshotsTable;
  demo_projects: DemoProjectsTable;
  analysis_fact_sets: AnalysisFactSetsTable;
  analysis_unit_exposures: AnalysisUnitExposuresTable;
  analysis_fact_metrics: AnalysisFactMetricsTable;
  analysis_unit_metrics: AnalysisUnitMetricsTable;
  analysis_unit_days: AnalysisUnitDaysTable;
  analysis_series_state: AnalysisSeriesStateTable;
  analysis_series_days: AnalysisSeriesDaysTable;
}

/** Tables holding a keyed JSON definition per project. */
export type DefinitionTableName = 'flags' | 'segments' | 'layers' | 'holdouts' | 'experiments' | 'metrics';
