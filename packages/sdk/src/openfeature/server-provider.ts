/**
 * @module An OpenFeature provider for servers (`@openfeature/server-sdk`): local evaluation
 * with a Cleave client, one client for every request's context.
 */
import type {
  EvaluationContext,
  JsonValue,
  Logger,
  Provider,
  ResolutionDetails,
  TrackingEventDetails,
} from '@openfeature/server-sdk';
import { type CleaveClient, createClient } from '../client.js';
import type { CleaveClientOptions } from '../client-options.js';
import { ClientEventBridge } from './client-event-bridge.js';
import { isClient } from './is-client.js';
import { CleaveProviderEvents } from './provider-events.js';
import { toCleaveContext, toTrackOptions } from './to-cleave-context.js';
import { toResolutionDetails } from './to-resolution-details.js';

/**
 * Evaluates flags for OpenFeature's server SDK. Pass a client (you keep closing it) or client
 * options (the provider creates the client and closes it in `onClose`). Events: configuration
 * changes, stale (server unreachable, last configuration served) and ready again. OpenFeature's
 * `track` sends a Cleave tracked event.
 *
 * @example
 * import { OpenFeature } from '@openfeature/server-sdk';
 * import { CleaveServerProvider } from '@cleave/sdk/openfeature';
 * await OpenFeature.setProviderAndWait(new CleaveServerProvider({ sdkKey, apiHost }));
 * const enabled = await OpenFeature.getClient().getBooleanValue('new-checkout', false, { targetingKey: 'user-42' });
 */
export class CleaveServerProvider implements Provider {
  readonly metadata = { name: 'cleave' } as const;
  readonly runsOn = 'server' as const;
  readonly events = new CleaveProviderEvents();
  /** The client the provider evaluates with. */
  readonly client: CleaveClient;
  readonly #ownsClient: boolean;
  readonly #bridge: ClientEventBridge;

  constructor(clientOrOptions: CleaveClient | CleaveClientOptions) {
    this.#ownsClient = !isClient(clientOrOptions);
    this.client = isClient(clientOrOptions) ? clientOrOptions : createClient(clientOrOptions);
    this.#bridge = new ClientEventBridge(this.client, this.events);
  }

  initialize(): Promise<void> {
    return this.#bridge.initialize();
  }

  async onClose(): Promise<void> {
    this.#bridge.close();
    if (this.#ownsClient) await this.client.close();
  }

  resolveBooleanEvaluation(
    flagKey: string,
    defaultValue: boolean,
    context: EvaluationContext,
    _logger?: Logger,
  ): Promise<ResolutionDetails<boolean>> {
    return Promise.resolve(
      toResolutionDetails(this.client.getBooleanDetails(flagKey, defaultValue, toCleaveContext(context))),
    );
  }

  resolveStringEvaluation(
    flagKey: string,
    defaultValue: string,
    context: EvaluationContext,
    _logger?: Logger,
  ): Promise<ResolutionDetails<string>> {
    return Promise.resolve(
      toResolutionDetails(this.client.getStringDetails(flagKey, defaultValue, toCleaveContext(context))),
    );
  }

  resolveNumberEvaluation(
    flagKey: string,
    defaultValue: number,
    context: EvaluationContext,
    _logger?: Logger,
  ): Promise<ResolutionDetails<number>> {
    return Promise.resolve(
      toResolutionDetails(this.client.getNumberDetails(flagKey, defaultValue, toCleaveContext(context))),
    );
  }

  resolveObjectEvaluation<T extends JsonValue>(
    flagKey: string,
    defaultValue: T,
    context: EvaluationContext,
    _logger?: Logger,
  ): Promise<ResolutionDetails<T>> {
    // OpenFeature's JsonValue and Cleave's are the same JSON; the caller's T is trusted as in core.
    const details = this.client.getJsonDetails(flagKey, defaultValue, toCleaveContext(context));
    return Promise.resolve(toResolutionDetails(details) as ResolutionDetails<T>);
  }

  track(trackingEventName: string, context: EvaluationContext, details: TrackingEventDetails): void {
    const { value, properties } = toTrackOptions(details);
    this.client.track(trackingEventName, {
      ...(value === undefined ? {} : { value }),
      ...(properties === undefined ? {} : { properties }),
      context: toCleaveContext(context),
    });
  }
}
