/**
 * @module Exponential backoff with full jitter.
 *
 * The delay before retry `attempt` (0-based) is uniform in [0, min(max, initial · 2^attempt)):
 * "full jitter" from Marc Brooker, "Exponential Backoff And Jitter" (AWS Architecture Blog,
 * 2015). Spreading clients uniformly over the whole window is what keeps thousands of SDKs from
 * reconnecting in lockstep after a server restart.
 */

export interface BackoffPolicy {
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
}

/**
 * The delay before retry number `attempt` (0 for the first retry).
 *
 * @example
 * backoffDelay(0, { initialDelayMs: 500, maxDelayMs: 30_000 }); // somewhere in [0, 500)
 * backoffDelay(10, { initialDelayMs: 500, maxDelayMs: 30_000 }); // somewhere in [0, 30 000)
 */
export function backoffDelay(
  attempt: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  // The exponent is capped so that 2^attempt never overflows to Infinity.
  const exponent = Math.min(Math.max(0, Math.floor(attempt)), 30);
  const ceiling = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** exponent);
  return Math.floor(random() * Math.max(0, ceiling));
}
