/**
 * @module features/sdk-delivery/stream-hub
 * Fans config-change notices out to the open streams of each environment. One subscription to the
 * notifier per process, however many clients are connected; on shutdown every stream is ended so
 * the server can close (clients reconnect to another node).
 */
import type { ChangeNotifier, ConfigBump } from '../../ports/change-notifier.js';

type Listener = (bump: ConfigBump) => void;

export class StreamHub {
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly closers = new Set<() => void>();
  private readonly unsubscribe: () => void;

  constructor(notifier: ChangeNotifier) {
    this.unsubscribe = notifier.onConfigChanged((bump) => {
      for (const listener of this.listeners.get(bump.environmentId) ?? []) listener(bump);
    });
  }

  /** Registers a stream of one environment; returns what unregisters it. */
  subscribe(environmentId: string, listener: Listener, close: () => void): () => void {
    let set = this.listeners.get(environmentId);
    if (!set) {
      set = new Set();
      this.listeners.set(environmentId, set);
    }
    set.add(listener);
    this.closers.add(close);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(environmentId);
      this.closers.delete(close);
    };
  }

  get openStreams(): number {
    return this.closers.size;
  }

  closeAll(): void {
    for (const close of [...this.closers]) close();
    this.unsubscribe();
  }
}
