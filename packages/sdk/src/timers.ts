/**
 * @module Timers that never keep a Node process alive, and an abortable sleep.
 */

/** A pending timer; `cancel()` is idempotent. */
export interface Timer {
  cancel(): void;
}

/**
 * Runs `callback` once after `delayMs`. In Node the timer is `unref()`ed: the SDK's timers
 * (ready timeout, retries, polling, batching) must never be the reason a process stays up.
 */
export function startTimer(callback: () => void, delayMs: number): Timer {
  const handle = setTimeout(callback, Math.max(0, delayMs));
  // Node's timers are objects with unref(); browsers' are numbers, where this reads nothing.
  (handle as { unref?: () => void }).unref?.();
  return { cancel: () => clearTimeout(handle) };
}

/** Resolves after `delayMs`, or at once when `signal` aborts. Never rejects. */
export function sleep(delayMs: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) {
      resolve();
      return;
    }
    const onAbort = () => {
      timer.cancel();
      resolve();
    };
    const timer = startTimer(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, delayMs);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
