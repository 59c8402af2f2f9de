/**
 * @module Client events as OpenFeature provider events, shared by both providers.
 *
 * - A configuration change → PROVIDER_CONFIGURATION_CHANGED with `flagsChanged`.
 * - The server becomes unreachable while a configuration is in use (client status `stale`) →
 *   PROVIDER_STALE; reachable again → PROVIDER_READY. Evaluations go on with the last
 *   configuration throughout: stale is information, not failure.
 * - `initialize` failed (no configuration in time) and one arrives later → PROVIDER_READY.
 */
import type { CleaveClient } from '../client.js';
import type { Unsubscribe } from '../client-emitter.js';
import { type CleaveProviderEvents, PROVIDER_EVENTS } from './provider-events.js';

export class ClientEventBridge {
  readonly #client: CleaveClient;
  readonly #events: CleaveProviderEvents;
  readonly #subscriptions: Unsubscribe[] = [];
  /** initialize() resolved: from now on, events are the provider's to report. */
  #initialized = false;
  #initializationFailed = false;
  #stale = false;

  constructor(client: CleaveClient, events: CleaveProviderEvents) {
    this.#client = client;
    this.#events = events;
  }

  /** Awaits the client; throws when no configuration came (OpenFeature then reports PROVIDER_ERROR). */
  async initialize(): Promise<void> {
    this.#subscribe();
    const status = await this.#client.ready();
    this.#initialized = true;
    if (status !== 'ready') {
      this.#initializationFailed = true;
      throw new Error(`Cleave client not ready (${status}): serving defaults until a configuration arrives`);
    }
  }

  close(): void {
    for (const unsubscribe of this.#subscriptions.splice(0)) unsubscribe();
  }

  #subscribe(): void {
    if (this.#subscriptions.length > 0) return;
    this.#subscriptions.push(
      this.#client.on('ready', () => {
        if (!this.#initializationFailed) return;
        this.#initializationFailed = false;
        this.#events.emit(PROVIDER_EVENTS.Ready);
      }),
      this.#client.on('change', (change) => {
        // The first configuration is announced by initialize() or PROVIDER_READY, not as a change.
        if (!this.#initialized || change.previousVersion === undefined) return;
        this.#events.emit(PROVIDER_EVENTS.ConfigurationChanged, { flagsChanged: [...change.flagKeys] });
      }),
      this.#client.on('status', (status) => {
        if (!this.#initialized || this.#initializationFailed) return;
        if (status === 'stale' && !this.#stale) {
          this.#stale = true;
          this.#events.emit(PROVIDER_EVENTS.Stale, {
            message: 'Cleave server unreachable: serving the last configuration',
          });
        } else if (status === 'ready' && this.#stale) {
          this.#stale = false;
          this.#events.emit(PROVIDER_EVENTS.Ready);
        }
      }),
    );
  }
}
