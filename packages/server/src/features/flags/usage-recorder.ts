/**
 * @module features/flags/usage-recorder
 * Remembers which flags the server evaluated, and writes the latest time per environment and flag
 * in one batch every `flushMs` instead of a write per evaluation: evaluation stays a memory-only
 * path, and a busy flag costs one row update per batch. Memory is bounded: past `maxPending`
 * distinct pairs in one batch, new pairs wait for the next (a flag in use is seen again soon).
 */
import type { Clock } from '../../domain/clock.js';
import type { FlagUsage, FlagUsageStore } from './usage-store.js';

interface PendingUsage {
  projectId: string;
  evaluatedAt: number;
}

export interface FlagUsageRecorderOptions {
  flushMs?: number;
  maxPending?: number;
}

export class FlagUsageRecorder {
  /** Environment → flag key → when it was last evaluated (epoch ms). */
  private pending = new Map<string, Map<string, PendingUsage>>();
  private size = 0;
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
    // On every evaluation request: a number and no string building; times become ISO at flush.
    const evaluatedAt = this.clock.now().getTime();
    for (const flagKey of flagKeys) this.note(projectId, environmentId, flagKey, evaluatedAt);
    this.scheduleFlush();
  }

  /** `flagKey` was evaluated just now in the environment (a key that names a flag). */
  seenOne(projectId: string, environmentId: string, flagKey: string): void {
    this.note(projectId, environmentId, flagKey, this.clock.now().getTime());
    this.scheduleFlush();
  }

  private note(projectId: string, environmentId: string, flagKey: string, evaluatedAt: number): void {
    let flags = this.pending.get(environmentId);
    const known = flags?.get(flagKey);
    if (known) known.evaluatedAt = evaluatedAt;
    else if (this.size < this.maxPending) {
      if (!flags) {
        flags = new Map();
        this.pending.set(environmentId, flags);
      }
      flags.set(flagKey, { projectId, evaluatedAt });
      this.size++;
    }
  }

  private scheduleFlush(): void {
    if (this.size > 0 && this.timer === undefined) {
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
    if (this.size === 0) return;
    const batch: FlagUsage[] = [];
    for (const [environmentId, flags] of this.pending)
      for (const [flagKey, { projectId, evaluatedAt }] of flags)
        batch.push({ projectId, environmentId, flagKey, evaluatedAt: new Date(evaluatedAt).toISOString() });
    const kept = this.pending;
    this.pending = new Map();
    this.size = 0;
    try {
      await this.store.record(batch);
    } catch (error) {
      // Usage seen while the batch was being written is newer: it wins over the failed batch.
      for (const [environmentId, flags] of kept)
        for (const [flagKey, usage] of flags) {
          let current = this.pending.get(environmentId);
          if (current?.has(flagKey)) continue;
          if (!current) {
            current = new Map();
            this.pending.set(environmentId, current);
          }
          current.set(flagKey, usage);
          this.size++;
        }
      throw error;
    }
  }

  lastEvaluated(environmentId: string): Promise<Map<string, string>> {
    return this.store.lastEvaluated(environmentId);
  }
}
