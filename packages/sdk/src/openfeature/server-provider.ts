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
} from '@openfeature/server-sdk';
import { CleaveProviderBase } from './provider-base.js';

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
export class CleaveServerProvider extends CleaveProviderBase implements Provider {
  readonly runsOn = 'server' as const;

  resolveBooleanEvaluation(
    flagKey: string,
    defaultValue: boolean,
    context: EvaluationContext,
    _logger?: Logger,
  ): Promise<ResolutionDetails<boolean>> {
    return Promise.resolve(this.booleanDetails(flagKey, defaultValue, context));
  }

  resolveStringEvaluation(
    flagKey: string,
    defaultValue: string,
    context: EvaluationContext,
    _logger?: Logger,
  ): Promise<ResolutionDetails<string>> {
    return Promise.resolve(this.stringDetails(flagKey, defaultValue, context));
  }

  resolveNumberEvaluation(
    flagKey: string,
    defaultValue: number,
    context: EvaluationContext,
    _logger?: Logger,
  ): Promise<ResolutionDetails<number>> {
    return Promise.resolve(this.numberDetails(flagKey, defaultValue, context));
  }

  resolveObjectEvaluation<T extends JsonValue>(
    flagKey: string,
    defaultValue: T,
    context: EvaluationContext,
    _logger?: Logger,
  ): Promise<ResolutionDetails<T>> {
    return Promise.resolve(this.objectDetails(flagKey, defaultValue, context));
  }
}
