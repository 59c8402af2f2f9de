/**
 * @module A small typed event emitter whose listeners can never break the SDK: a throwing
 * listener is caught and reported as a `listener_failed` error.
 */

/** Removes the listener it was returned for; calling it again does nothing. */
export type Unsubscribe = () => void;

export class ClientEmitter<Events extends { error: unknown }> {
  readonly #listeners = new Map<keyof Events, Set<(payload: never) => void>>();
  readonly #onListenerError: (error: unknown, event: keyof Events) => void;

  constructor(onListenerError: (error: unknown, event: keyof Events) => void) {
    this.#onListenerError = onListenerError;
  }

  on<E extends keyof Events>(event: E, listener: (payload: Events[E]) => void): Unsubscribe {
    let listeners = this.#listeners.get(event);
    if (listeners === undefined) {
      listeners = new Set();
      this.#listeners.set(event, listeners);
    }
    // Wrapped so the same function may be added twice and removed once per subscription.
    const entry = (payload: never) => listener(payload);
    listeners.add(entry);
    return () => {
      listeners.delete(entry);
    };
  }

  emit<E extends keyof Events>(event: E, payload: Events[E]): void {
    const listeners = this.#listeners.get(event);
    if (listeners === undefined) return;
    for (const listener of [...listeners]) {
      try {
        (listener as (payload: Events[E]) => void)(payload);
      } catch (error) {
        // An error listener that throws is not reported again: that could loop forever.
        if (event !== 'error') this.#onListenerError(error, event);
      }
    }
  }
}
