/**
 * @module features/flags/usage-recorder
 * Remembers which flags the server evaluated, and writes the latest time per environment and flag
 * in one batch every `flushMs` instead of a write per evaluation: evaluation stays a memory-only
 * path, and a busy flag costs one row update per batch. Memory is bounded: past `maxPending`
 * distinct pairs in one batch, new pairs wait for the next (a flag in use is seen again soon).
 */
import type { Clock } from '../../domain/clock.js';
import type { FlagUsage, FlagUsageStore } from './usage-store.js';

export interface FlagUsageRecorderOptions {
  flushMs?: number;
  maxPending?: number;
}

export class FlagUsageRecorder {
  private pending = new Map<string, FlagUsage>();
  private timer: NodeJS.Timeout | undefined;
  private readonly errorListeners: ((error: unknown) => void)[] = [];
  private readonly flushMs: number;
  private readonly maxPending: number;

  constructor(
    private readonly store: FlagUsageStore,
    private readonly clock: Clock,
    options: FlagUsageRecorderOptions = {},
  ) {
    this.flushMs = options.flushMs ?? 30_000;
    this.maxPending = options.maxPending ?? 10_000;
  }

  /** `flagKeys` were evaluated just now in the environment (keys that name no flag excluded). */
  seen(projectId: string, environmentId: string, flagKeys: Iterable<string>): void {
    const evaluatedAt = this.clock.now().toISOString();
    for (const flagKey of flagKeys) {
      const id = `${environmentId}\u0000${flagKey}`;
      const known = this.pending.get(id);
      if (known) known.evaluatedAt = evaluatedAt;
      else if (this.pending.size < this.maxPending)
        this.pending.set(id, { projectId, environmentId, flagKey, evaluatedAt });
    }
    if (this.pending.size > 0 && this.timer === undefined) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.flush().catch((error: unknown) => {
          for (const listener of this.errorListeners) listener(error);
        });
      }, this.flushMs);
      // Pending usage never keeps a process alive; shutdown flushes it.
      this.timer.unref();
    }
  }

  /** Where failed background writes are reported (the server's log). */
  onFlushError(listener: (error: unknown) => void): void {
    this.errorListeners.push(listener);
  }

  /** Writes what is pending now. A failed batch is kept for the next flush, not lost. */
  async flush(): Promise<void> {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    try {
      await this.store.record([...batch.values()]);
    } catch (error) {
      for (const [id, usage] of batch) if (!this.pending.has(id)) this.pending.set(id, usage);
      throw error;
    }
  }

  lastEvaluated(environmentId: string): Promise<Map<string, string>> {
    return this.store.lastEvaluated(environmentId);
  }
}
