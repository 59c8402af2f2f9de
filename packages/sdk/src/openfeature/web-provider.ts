/**
 * @module An OpenFeature provider for browsers (`@openfeature/web-sdk`): the static-context
 * paradigm, resolved synchronously from the configuration in hand.
 */
import type {
  EvaluationContext,
  JsonValue,
  Logger,
  Provider,
  ResolutionDetails,
  TrackingEventDetails,
} from '@openfeature/web-sdk';
import { type CleaveClient, createClient } from '../client.js';
import type { CleaveClientOptions } from '../client-options.js';
import { ClientEventBridge } from './client-event-bridge.js';
import { isClient } from './is-client.js';
import { CleaveProviderEvents } from './provider-events.js';
import { toCleaveContext, toTrackOptions } from './to-cleave-context.js';
import { toResolutionDetails } from './to-resolution-details.js';

/**
 * Evaluates flags for OpenFeature's web SDK. The context set with `OpenFeature.setContext` is
 * passed to every resolution; Cleave evaluates locally, so a context change needs no
 * reconciliation (no network call, no PROVIDER_RECONCILING). Pass `bootstrap` in the client
 * options to be ready at once with a server-rendered payload.
 *
 * @example
 * import { OpenFeature } from '@openfeature/web-sdk';
 * import { CleaveWebProvider } from '@cleave/sdk/openfeature';
 * await OpenFeature.setContext({ targetingKey: userId });
 * await OpenFeature.setProviderAndWait(new CleaveWebProvider({ sdkKey, apiHost }));
 * OpenFeature.getClient().getBooleanValue('new-checkout', false);
 */
export class CleaveWebProvider implements Provider {
  readonly metadata = { name: 'cleave' } as const;
  readonly runsOn = 'client' as const;
  readonly events = new CleaveProviderEvents();
  readonly client: CleaveClient;
  readonly #ownsClient: boolean;
  readonly #bridge: ClientEventBridge;

  constructor(clientOrOptions: CleaveClient | CleaveClientOptions) {
    this.#ownsClient = !isClient(clientOrOptions);
    this.client = isClient(clientOrOptions) ? clientOrOptions : createClient(clientOrOptions);
    this.#bridge = new ClientEventBridge(this.client, this.events);
  }

  initialize(_context?: EvaluationContext): Promise<void> {
    return this.#bridge.initialize();
  }

  /** Nothing to fetch: the next resolutions simply use the new context. */
  onContextChange(_oldContext: EvaluationContext, _newContext: EvaluationContext): void {}

  async onClose(): Promise<void> {
    this.#bridge.close();
    if (this.#ownsClient) await this.client.close();
  }

  resolveBooleanEvaluation(
    flagKey: string,
    defaultValue: boolean,
    context: EvaluationContext,
    _logger?: Logger,
  ): ResolutionDetails<boolean> {
    return toResolutionDetails(
      this.client.getBooleanDetails(flagKey, defaultValue, toCleaveContext(context)),
    );
  }

  resolveStringEvaluation(
    flagKey: string,
    defaultValue: string,
    context: EvaluationContext,
    _logger?: Logger,
  ): ResolutionDetails<string> {
    return toResolutionDetails(this.client.getStringDetails(flagKey, defaultValue, toCleaveContext(context)));
  }

  resolveNumberEvaluation(
    flagKey: string,
    defaultValue: number,
    context: EvaluationContext,
    _logger?: Logger,
  ): ResolutionDetails<number> {
    return toResolutionDetails(this.client.getNumberDetails(flagKey, defaultValue, toCleaveContext(context)));
  }

  resolveObjectEvaluation<T extends JsonValue>(
    flagKey: string,
    defaultValue: T,
    context: EvaluationContext,
    _logger?: Logger,
  ): ResolutionDetails<T> {
    const details = this.client.getJsonDetails(flagKey, defaultValue, toCleaveContext(context));
    return toResolutionDetails(details) as ResolutionDetails<T>;
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
