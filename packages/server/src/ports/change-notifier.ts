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

export interface ChangeNotifier {
  /** Called after the transaction that made the bumps committed, never before. */
  configChanged(bumps: readonly ConfigBump[]): void;
  /** Called after a commit that queued webhook deliveries. */
  webhooksQueued(): void;
  onConfigChanged(listener: (bump: ConfigBump) => void): () => void;
  onWebhooksQueued(listener: () => void): () => void;
  /** Called after a commit that ended access (a key revoked, a member removed…). */
  accessRevoked(revocations: readonly AccessRevocation[]): void;
  onAccessRevoked(listener: (revocation: AccessRevocation) => void): () => void;
}
