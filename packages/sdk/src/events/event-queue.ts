/**
 * @module Batching events by size and by time, in bounded memory.
 *
 * - A batch goes out as soon as `batchSize` events wait, and no event waits longer than
 *   `flushIntervalMs` (the timer starts when the first event enters an empty queue, so an idle
 *   client has no timer running).
 * - One batch is in flight at a time (its retries included): a struggling server sees one
 *   request per client, and memory holds at most `maxQueueSize` waiting events plus that batch.
 * - When `maxQueueSize` events wait, each new one pushes out the oldest. The drops of one
 *   synchronous burst are reported once, as one `events_dropped` error with their count.
 */
import { CleaveError } from '../cleave-error.js';
import { startTimer, type Timer } from '../timers.js';
import { MAX_EVENTS_PER_REQUEST, type SdkEvent } from './event-types.js';

export interface EventQueueOptions {
  /** Events per request, at most {@link MAX_EVENTS_PER_REQUEST}. */
  readonly batchSize: number;
  readonly flushIntervalMs: number;
  readonly maxQueueSize: number;
  /** Delivers one batch; never throws (EventSender.send). */
  readonly send: (batch: readonly SdkEvent[]) => Promise<void>;
  readonly onError: (error: CleaveError) => void;
}

/**
 * @example
 * const queue = new EventQueue({ batchSize: 100, flushIntervalMs: 5_000, maxQueueSize: 10_000,
 *   send: (batch) => sender.send(batch), onError: report });
 * queue.enqueue(event);
 * await queue.flush();
 */
export class EventQueue {
  readonly #options: EventQueueOptions;
  readonly #batchSize: number;
  readonly #maxQueueSize: number;
  #waiting: SdkEvent[] = [];
  #timer: Timer | undefined;
  #draining: Promise<void> | undefined;
  /** A flush asked for everything to go, partial batch included. */
  #drainAll = false;
  #dropped = 0;

  constructor(options: EventQueueOptions) {
    this.#options = options;
    this.#batchSize = Math.min(MAX_EVENTS_PER_REQUEST, Math.max(1, Math.floor(options.batchSize)));
    this.#maxQueueSize = Math.max(1, Math.floor(options.maxQueueSize));
  }

  /** Events waiting to be sent (the batch in flight excluded). */
  get size(): number {
    return this.#waiting.length;
  }

  enqueue(event: SdkEvent): void {
    if (this.#waiting.length >= this.#maxQueueSize) {
      this.#waiting.shift();
      if (this.#dropped++ === 0) queueMicrotask(() => this.#reportDropped());
    }
    this.#waiting.push(event);
    if (this.#waiting.length >= this.#batchSize) {
      this.#drain(false);
    } else if (this.#timer === undefined) {
      this.#timer = startTimer(() => {
        this.#timer = undefined;
        this.#drain(true);
      }, this.#options.flushIntervalMs);
    }
  }

  /** Sends every waiting event; resolves once each was delivered or dropped (and reported). */
  async flush(): Promise<void> {
    this.#timer?.cancel();
    this.#timer = undefined;
    // The loop covers events enqueued while the previous drain was finishing.
    do {
      await this.#drain(true);
    } while (this.#waiting.length > 0);
  }

  /** Forgets the waiting events without sending them; returns how many there were. */
  discard(): number {
    this.#timer?.cancel();
    this.#timer = undefined;
    const count = this.#waiting.length;
    this.#waiting = [];
    return count;
  }

  #drain(all: boolean): Promise<void> {
    if (all) this.#drainAll = true;
    if (this.#draining === undefined) {
      this.#draining = this.#runDrain().finally(() => {
        this.#draining = undefined;
        // A full batch may have formed between the loop's last check and this point.
        if (this.#waiting.length >= this.#batchSize) void this.#drain(false);
      });
    }
    return this.#draining;
  }

  async #runDrain(): Promise<void> {
    for (;;) {
      const ready = this.#drainAll ? this.#waiting.length > 0 : this.#waiting.length >= this.#batchSize;
      if (!ready) break;
      const batch = this.#waiting.splice(0, this.#batchSize);
      try {
        await this.#options.send(batch);
      } catch {
        // send never throws; this only keeps a broken sender from stalling the queue.
      }
    }
    this.#drainAll = false;
    if (this.#waiting.length > 0 && this.#timer === undefined) {
      this.#timer = startTimer(() => {
        this.#timer = undefined;
        this.#drain(true);
      }, this.#options.flushIntervalMs);
    }
  }

  #reportDropped(): void {
    const count = this.#dropped;
    this.#dropped = 0;
    if (count === 0) return;
    this.#options.onError(
      new CleaveError(
        'events_dropped',
        `event queue full (${this.#maxQueueSize} events): dropped the ${count} oldest event(s)`,
        { details: { dropped: count } },
      ),
    );
  }
}
