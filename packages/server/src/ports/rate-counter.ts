/**
 * @module ports/rate-counter
 * Counters that expire, for budgets shared by every API node: events per key and client, sign-in
 * failures per address. In-process when one process serves everything (adapters/memory), in Redis
 * when several do (adapters/redis), so a second node is no way around a limit.
 */
export interface CounterState {
  /** The counter after the operation; 0 for a counter that does not exist (or expired). */
  count: number;
  /** Until the counter expires (and starts again from 0); 0 when it does not exist. */
  resetInMs: number;
}

export interface RateCounter {
  /**
   * Adds `amount` (negative to give some back) to the counter `key`. A new counter lives `windowMs`;
   * with `slide`, every add restarts that time (a counter of failures forgotten after a quiet hour).
   */
  add(key: string, amount: number, windowMs: number, options?: { slide?: boolean }): Promise<CounterState>;
  peek(key: string): Promise<CounterState>;
}
