/**
 * @module What Cleave's server and web OpenFeature providers share: the client (owned or lent),
 * the bridge from client events to provider events, resolution from the client's details, and
 * `track`. The two providers differ only in OpenFeature's paradigm: async (server) or sync (web).
 */
import type {
  EvaluationContext,
  JsonValue,
  ResolutionDetails,
  TrackingEventDetails,
} from '@openfeature/core';
import { type CleaveClient, createClient } from '../client.js';
import type { CleaveClientOptions } from '../client-options.js';
import { ClientEventBridge } from './client-event-bridge.js';
import { isClient } from './is-client.js';
import { CleaveProviderEvents } from './provider-events.js';
import { toCleaveContext, toTrackOptions } from './to-cleave-context.js';
import { toResolutionDetails } from './to-resolution-details.js';

export abstract class CleaveProviderBase {
  readonly metadata = { name: 'cleave' } as const;
  readonly events = new CleaveProviderEvents();
  /** The client the provider evaluates with. */
  readonly client: CleaveClient;
  readonly #ownsClient: boolean;
  readonly #bridge: ClientEventBridge;

  /** Pass a client (you keep closing it) or client options (the provider creates and closes it). */
  constructor(clientOrOptions: CleaveClient | CleaveClientOptions) {
    this.#ownsClient = !isClient(clientOrOptions);
    this.client = isClient(clientOrOptions) ? clientOrOptions : createClient(clientOrOptions);
    this.#bridge = new ClientEventBridge(this.client, this.events);
  }

  initialize(_context?: EvaluationContext): Promise<void> {
    return this.#bridge.initialize();
  }

  async onClose(): Promise<void> {
    this.#bridge.close();
    if (this.#ownsClient) await this.client.close();
  }

  protected booleanDetails(flagKey: string, defaultValue: boolean, context: EvaluationContext) {
    return toResolutionDetails(
      this.client.getBooleanDetails(flagKey, defaultValue, toCleaveContext(context)),
    );
  }

  protected stringDetails(flagKey: string, defaultValue: string, context: EvaluationContext) {
    return toResolutionDetails(this.client.getStringDetails(flagKey, defaultValue, toCleaveContext(context)));
  }

  protected numberDetails(flagKey: string, defaultValue: number, context: EvaluationContext) {
    return toResolutionDetails(this.client.getNumberDetails(flagKey, defaultValue, toCleaveContext(context)));
  }

  protected objectDetails<T extends JsonValue>(
    flagKey: string,
    defaultValue: T,
    context: EvaluationContext,
  ): ResolutionDetails<T> {
    // OpenFeature's JsonValue and Cleave's are the same JSON; the caller's T is trusted as in core.
    const details = this.client.getJsonDetails(flagKey, defaultValue, toCleaveContext(context));
    return toResolutionDetails(details) as ResolutionDetails<T>;
  }

  /** OpenFeature's `track` is a Cleave tracked event. */
  track(trackingEventName: string, context: EvaluationContext, details: TrackingEventDetails): void {
    const { value, properties } = toTrackOptions(details);
    this.client.track(trackingEventName, {
      ...(value === undefined ? {} : { value }),
      ...(properties === undefined ? {} : { properties }),
      context: toCleaveContext(context),
    });
  }
}
