/**
 * @module ports/change-notifier
 * Tells the rest of the system, after a commit, that environments' configs moved on, that webhook
 * deliveries wait, or that someone's access ended. In-process by default (adapters/memory); with
 * Redis, a notifier that fans out to every API node (adapters/redis).
 */
import type { AccessRevocation } from '../domain/access-revocation.js';

/** An environment's SDK config moved to a new version. */
export interface ConfigBump {
  projectId: string;
  environmentId: string;
  configVersion: number;
}

/**
 * Something people manage in a project changed (a flag saved, an experiment started, new results):
 * what the UI's live-update stream carries, so open pages refresh what the change touched.
 */
export interface ProjectChange {
  /** The audit record's id for a recorded change, the snapshot's id for new results. */
  id: string;
  projectId: string;
  /** `flag`, `experiment`, `results`, … */
  resourceType: string;
  resourceKey: string;
  /** `resource.verb`, e.g. `flag.updated`, `results.updated`. */
  action: string;
  /** ISO-8601. */
  at: string;
}

export interface ChangeNotifier {
  /** Called after the transaction that made the bumps committed, never before. */
  configChanged(bumps: readonly ConfigBump[]): void;
  /** Called after a commit that queued webhook deliveries. */
  webhooksQueued(): void;
  onConfigChanged(listener: (bump: ConfigBump) => void): () => void;
  onWebhooksQueued(listener: () => void): () => void;
  /**
   * The fan-out was interrupted and is back (Redis went away and returned): notices sent meanwhile
   * are lost, so whoever tracks config versions must re-read them. Never fires in-process.
   */
  onResync(listener: () => void): () => void;
  /** Called after a commit that ended access (a key revoked, a member removed…). */
  accessRevoked(revocations: readonly AccessRevocation[]): void;
  onAccessRevoked(listener: (revocation: AccessRevocation) => void): () => void;
  /** Called after a commit that changed what people manage in projects. */
  projectChanged(changes: readonly ProjectChange[]): void;
  onProjectChanged(listener: (change: ProjectChange) => void): () => void;
}

/** Whether a value received from another node is a project change this version understands. */
export function isProjectChange(value: unknown): value is ProjectChange {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return ['id', 'projectId', 'resourceType', 'resourceKey', 'action', 'at'].every(
    (name) => typeof candidate[name] === 'string',
  );
}
