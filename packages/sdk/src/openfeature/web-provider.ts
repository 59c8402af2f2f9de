/**
 * @module An OpenFeature provider for browsers (`@openfeature/web-sdk`): the static-context
 * paradigm, resolved synchronously from the configuration in hand.
 */
import type { EvaluationContext, JsonValue, Logger, Provider, ResolutionDetails } from '@openfeature/web-sdk';
import { CleaveProviderBase } from './provider-base.js';

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
export class CleaveWebProvider extends CleaveProviderBase implements Provider {
  readonly runsOn = 'client' as const;

  /** Nothing to fetch: the next resolutions simply use the new context. */
  onContextChange(_oldContext: EvaluationContext, _newContext: EvaluationContext): void {}

  resolveBooleanEvaluation(
    flagKey: string,
    defaultValue: boolean,
    context: EvaluationContext,
    _logger?: Logger,
  ): ResolutionDetails<boolean> {
    return this.booleanDetails(flagKey, defaultValue, context);
  }

  resolveStringEvaluation(
    flagKey: string,
    defaultValue: string,
    context: EvaluationContext,
    _logger?: Logger,
  ): ResolutionDetails<string> {
    return this.stringDetails(flagKey, defaultValue, context);
  }

  resolveNumberEvaluation(
    flagKey: string,
    defaultValue: number,
    context: EvaluationContext,
    _logger?: Logger,
  ): ResolutionDetails<number> {
    return this.numberDetails(flagKey, defaultValue, context);
  }

  resolveObjectEvaluation<T extends JsonValue>(
    flagKey: string,
    defaultValue: T,
    context: EvaluationContext,
    _logger?: Logger,
  ): ResolutionDetails<T> {
    return this.objectDetails(flagKey, defaultValue, context);
  }
}
