/**
 * @module features/changes/change-notifier
 * Tells the rest of the system, after a commit, that environments' configs moved on. In-process by
 * default; with Redis, SDK delivery swaps in a notifier that fans out to every API node.
 */
import { EventEmitter } from 'node:events';
import type { ConfigBump } from './config-change-store.js';

export interface ChangeNotifier {
  /** Called after the transaction that made the bumps committed, never before. */
  configChanged(bumps: readonly ConfigBump[]): void;
  /** Called after a commit that queued webhook deliveries. */
  webhooksQueued(): void;
  onConfigChanged(listener: (bump: ConfigBump) => void): () => void;
  onWebhooksQueued(listener: () => void): () => void;
}

export function inProcessChangeNotifier(): ChangeNotifier {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    configChanged(bumps) {
      for (const bump of bumps) emitter.emit('config', bump);
    },
    webhooksQueued() {
      emitter.emit('webhooks');
    },
    onConfigChanged(listener) {
      emitter.on('config', listener);
      return () => emitter.off('config', listener);
    },
    onWebhooksQueued(listener) {
      emitter.on('webhooks', listener);
      return () => emitter.off('webhooks', listener);
    },
  };
}
