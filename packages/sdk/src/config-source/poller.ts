/**
 * @module Periodic polling: one poll at a time, the next one `intervalMs` after the previous
 * one finished (a slow server is never asked twice at once).
 *
 * An immediate first poll starts synchronously, not on a zero-delay timer: the SDK's timers are
 * unref'd, so a short Node script awaiting `ready()` could otherwise exit before the request
 * began. Once the request is in flight its socket keeps the process alive until it settles.
 */
import { startTimer, type Timer } from '../timers.js';

/**
 * Calls `poll` every `intervalMs` while started. `poll` must not throw (errors are the
 * caller's to report); a rejection is swallowed so that polling goes on.
 *
 * @example
 * const poller = new Poller(30_000, () => refreshConfig());
 * poller.start({ immediately: true });
 * poller.stop();
 */
export class Poller {
  readonly #intervalMs: number;
  readonly #poll: () => Promise<void>;
  #timer: Timer | undefined;
  #running = false;
  /** Bumped by stop(): a poll in flight when stopped must not schedule the next one. */
  #generation = 0;

  constructor(intervalMs: number, poll: () => Promise<void>) {
    this.#intervalMs = intervalMs;
    this.#poll = poll;
  }

  get running(): boolean {
    return this.#running;
  }

  start(options: { immediately: boolean }): void {
    if (this.#running) return;
    this.#running = true;
    if (options.immediately) this.#run(this.#generation);
    else this.#schedule(this.#intervalMs, this.#generation);
  }

  stop(): void {
    this.#running = false;
    this.#generation++;
    this.#timer?.cancel();
    this.#timer = undefined;
  }

  #schedule(delayMs: number, generation: number): void {
    this.#timer = startTimer(() => {
      this.#timer = undefined;
      this.#run(generation);
    }, delayMs);
  }

  #run(generation: number): void {
    let polling: Promise<void>;
    try {
      polling = this.#poll();
    } catch {
      polling = Promise.resolve();
    }
    polling
      .catch(() => undefined)
      .then(() => {
        if (this.#running && generation === this.#generation) this.#schedule(this.#intervalMs, generation);
      });
  }
}
