/**
 * @module Batching events by size and by time, in bounded memory.
 *
 * - A batch goes out as soon as `batchSize` events wait, and no event waits longer than
 *   `flushIntervalMs` (the timer starts when the first event enters an empty queue, so an idle
 *   client has no timer running).
 * - One batch is in flight at a time (its retries included): a struggling server sees one
 *   request per client. While the server is away, events wait here; the queue is the buffer
 *   that carries them through an outage.
 * - Memory is bounded by count (`maxQueueSize`) and by size (`maxQueueBytes`, the events' JSON
 *   length): beyond either, each new event pushes out the oldest. The drops of one synchronous
 *   burst are reported once, as one `events_dropped` error with their count.
 */
import { CleaveError } from '../cleave-error.js';
import { startTimer, type Timer } from '../timers.js';
import { MAX_EVENTS_PER_REQUEST, type SdkEvent } from './event-types.js';

export interface EventQueueOptions {
  /** Events per request, at most {@link MAX_EVENTS_PER_REQUEST}. */
  readonly batchSize: number;
  readonly flushIntervalMs: number;
  readonly maxQueueSize: number;
  /** The waiting events' JSON length, in characters, beyond which the oldest are dropped. */
  readonly maxQueueBytes: number;
  /** Delivers one batch; never throws (EventSender.send). */
  readonly send: (batch: readonly SdkEvent[]) => Promise<void>;
  /** Events pushed out by the bounds (already counted in the `events_dropped` report). */
  readonly onDropped?: (events: readonly SdkEvent[]) => void;
  readonly onError: (error: CleaveError) => void;
}

interface Waiting {
  readonly event: SdkEvent;
  readonly bytes: number;
}

/**
 * @example
 * const queue = new EventQueue({ batchSize: 100, flushIntervalMs: 5_000, maxQueueSize: 10_000,
 *   maxQueueBytes: 2_097_152, send: (batch) => sender.send(batch), onError: report });
 * queue.enqueue(event);
 * await queue.flush();
 */
export class EventQueue {
  readonly #options: EventQueueOptions;
  readonly #batchSize: number;
  readonly #maxQueueSize: number;
  readonly #maxQueueBytes: number;
  #waiting: Waiting[] = [];
  #bytes = 0;
  #timer: Timer | undefined;
  #draining: Promise<void> | undefined;
  /** A flush asked for everything to go, partial batch included. */
  #drainAll = false;
  #dropped = 0;

  constructor(options: EventQueueOptions) {
    this.#options = options;
    this.#batchSize = Math.min(MAX_EVENTS_PER_REQUEST, Math.max(1, Math.floor(options.batchSize)));
    this.#maxQueueSize = Math.max(1, Math.floor(options.maxQueueSize));
    this.#maxQueueBytes = Math.max(1, options.maxQueueBytes);
  }

  enqueue(event: SdkEvent): void {
    const bytes = JSON.stringify(event).length;
    const dropped: SdkEvent[] = [];
    while (
      this.#waiting.length > 0 &&
      (this.#waiting.length >= this.#maxQueueSize || this.#bytes + bytes > this.#maxQueueBytes)
    ) {
      const oldest = this.#waiting.shift() as Waiting;
      this.#bytes -= oldest.bytes;
      dropped.push(oldest.event);
    }
    if (dropped.length > 0) {
      if (this.#dropped === 0) queueMicrotask(() => this.#reportDropped());
      this.#dropped += dropped.length;
      this.#options.onDropped?.(dropped);
    }
    this.#waiting.push({ event, bytes });
    this.#bytes += bytes;
    if (this.#waiting.length >= this.#batchSize) {
      this.#drain(false);
    } else if (this.#timer === undefined) {
      this.#startTimer();
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

  /** Forgets the waiting events without sending them; returns them. */
  discard(): SdkEvent[] {
    this.#timer?.cancel();
    this.#timer = undefined;
    const events = this.#waiting.map((waiting) => waiting.event);
    this.#waiting = [];
    this.#bytes = 0;
    return events;
  }

  #startTimer(): void {
    this.#timer = startTimer(() => {
      this.#timer = undefined;
      this.#drain(true);
    }, this.#options.flushIntervalMs);
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
      const taken = this.#waiting.splice(0, this.#batchSize);
      for (const waiting of taken) this.#bytes -= waiting.bytes;
      try {
        await this.#options.send(taken.map((waiting) => waiting.event));
      } catch {
        // send never throws; this only keeps a broken sender from stalling the queue.
      }
    }
    this.#drainAll = false;
    if (this.#waiting.length > 0 && this.#timer === undefined) this.#startTimer();
  }

  #reportDropped(): void {
    const count = this.#dropped;
    this.#dropped = 0;
    if (count === 0) return;
    this.#options.onError(
      new CleaveError(
        'events_dropped',
        `event queue full (${this.#maxQueueSize} events or ${this.#maxQueueBytes} characters): dropped the ${count} oldest event(s)`,
        { details: { dropped: count } },
      ),
    );
  }
}
