/**
 * @module adapters/failover-rate-counter
 * A shared RateCounter (Redis) that falls back to an in-process one while it fails, so limits never
 * lapse: during an outage each node enforces the same limits on its own (a client spread over N
 * nodes gets at most N times the budget, never an unlimited one), and the shared counters take over
 * again as soon as they answer.
 *
 * Failing open (no limit) would open a brute-force window on sign-in for as long as Redis is down;
 * failing closed (refusing every limited request) would turn a cache outage into a sign-in and
 * ingestion outage. Per-node limits are the middle: bounded, and available.
 */
import type { CounterState, RateCounter } from '../ports/rate-counter.js';

export interface FailoverRateCounterOptions {
  /** Called once when the shared counter first fails, not for every request during the outage. */
  onOutage(error: unknown): void;
  /** Called once when the shared counter answers again after an outage. */
  onRecovery(): void;
  /**
   * While the shared counter is failing, how often a request tries it again (the others go straight
   * to the fallback), so a Redis that hangs rather than refuses costs one slow request per interval.
   */
  probeIntervalMs?: number;
  /**
   * The longest a request waits for the shared counter before counting in-process instead: a Redis
   * that stopped answering must not hold sign-ins until the connection times out.
   */
  timeoutMs?: number;
  now?: () => number;
}

export function failoverRateCounter(
  shared: RateCounter,
  fallback: RateCounter,
  options: FailoverRateCounterOptions,
): RateCounter {
  const probeIntervalMs = options.probeIntervalMs ?? 1_000;
  const timeoutMs = options.timeoutMs ?? 1_000;
  const now = options.now ?? Date.now;
  let failing = false;
  let nextProbeAt = 0;

  const run = async (
    onShared: () => Promise<CounterState>,
    onFallback: () => Promise<CounterState>,
  ): Promise<CounterState> => {
    if (failing && now() < nextProbeAt) return onFallback();
    let state: CounterState;
    try {
      state = await withTimeout(onShared(), timeoutMs);
    } catch (error) {
      if (!failing) {
        failing = true;
        options.onOutage(error);
      }
      nextProbeAt = now() + probeIntervalMs;
      return onFallback();
    }
    if (failing) {
      failing = false;
      options.onRecovery();
    }
    return state;
  };

  return {
    add(key, amount, windowMs, addOptions) {
      return run(
        () => shared.add(key, amount, windowMs, addOptions),
        () => fallback.add(key, amount, windowMs, addOptions),
      );
    },
    peek(key) {
      return run(
        () => shared.peek(key),
        () => fallback.peek(key),
      );
    },
  };
}

export class SharedCounterTimeoutError extends Error {
  override name = 'SharedCounterTimeoutError';
}

async function withTimeout<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new SharedCounterTimeoutError(`no answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([work, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
