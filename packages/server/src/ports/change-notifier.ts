/**
 * @module ports/change-notifier
 * Tells the rest of the system, after a commit, that environments' configs moved on. In-process by
 * default (adapters/memory); with Redis, a notifier that fans out to every API node (adapters/redis).
 */
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
}
