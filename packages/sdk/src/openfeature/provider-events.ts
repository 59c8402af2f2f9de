/**
 * @module A provider event emitter that needs no runtime import from an OpenFeature SDK.
 *
 * The OpenFeature SDKs ship their emitters (server: on `node:events`; web: on a bundled
 * emitter), and importing either would make `@cleave/sdk/openfeature` require both SDKs at
 * runtime. The SDKs only ever call `addHandler`, `removeHandler`, `removeAllHandlers`,
 * `getHandlers` and `setLogger` on a provider's `events`, so this small implementation serves both.
 */
import type {
  AnyProviderEvent,
  EventContext,
  EventHandler,
  Logger,
  ProviderEventEmitter,
} from '@openfeature/core';

/** The provider event names, as the OpenFeature enums spell them (string enums: same values). */
export const PROVIDER_EVENTS = {
  Ready: 'PROVIDER_READY',
  Error: 'PROVIDER_ERROR',
  ConfigurationChanged: 'PROVIDER_CONFIGURATION_CHANGED',
  Stale: 'PROVIDER_STALE',
} as const;

export type CleaveProviderEvent = (typeof PROVIDER_EVENTS)[keyof typeof PROVIDER_EVENTS];

export class CleaveProviderEvents implements ProviderEventEmitter<AnyProviderEvent> {
  readonly #handlers = new Map<string, EventHandler[]>();
  #logger: Logger | undefined;

  emit(eventType: AnyProviderEvent | CleaveProviderEvent, context?: EventContext): void {
    for (const handler of [...(this.#handlers.get(eventType) ?? [])]) {
      try {
        const result = handler(context as Parameters<EventHandler>[0]);
        if (result instanceof Promise) result.catch((error: unknown) => this.#logError(error));
      } catch (error) {
        this.#logError(error);
      }
    }
  }

  addHandler(eventType: AnyProviderEvent, handler: EventHandler): void {
    this.#handlers.set(eventType, [...(this.#handlers.get(eventType) ?? []), handler]);
  }

  removeHandler(eventType: AnyProviderEvent, handler: EventHandler): void {
    const handlers = this.#handlers.get(eventType) ?? [];
    const index = handlers.lastIndexOf(handler);
    if (index >= 0) this.#handlers.set(eventType, handlers.toSpliced(index, 1));
  }

  removeAllHandlers(eventType?: AnyProviderEvent): void {
    if (eventType === undefined) this.#handlers.clear();
    else this.#handlers.delete(eventType);
  }

  getHandlers(eventType: AnyProviderEvent): EventHandler[] {
    return [...(this.#handlers.get(eventType) ?? [])];
  }

  setLogger(logger: Logger): this {
    this.#logger = logger;
    return this;
  }

  #logError(error: unknown): void {
    try {
      this.#logger?.error('Error running event handler:', error);
    } catch {
      // A broken logger must not break event delivery.
    }
  }
}
