/**
 * @module `useFlag`: a flag's value in a component, re-rendered on configuration changes.
 */
import type { JsonValue } from '@cleave/core/evaluation';
import { useCleaveContext } from './cleave-provider.js';
import { useConfiguration } from './use-configuration.js';

/**
 * A flag's value for the context of the nearest `CleaveProvider`. The type follows the default
 * value (boolean, string, number, or JSON); outside a provider, or before a configuration
 * arrives, it is the default. An experiment that decides the value logs an exposure.
 *
 * @example
 * function Checkout() {
 *   const newCheckout = useFlag('new-checkout', false);
 *   const color = useFlag('button-color', 'blue');
 *   return newCheckout ? <NewCheckout color={color} /> : <OldCheckout />;
 * }
 */
export function useFlag(flagKey: string, defaultValue: boolean): boolean;
export function useFlag(flagKey: string, defaultValue: string): string;
export function useFlag(flagKey: string, defaultValue: number): number;
export function useFlag<T extends JsonValue>(flagKey: string, defaultValue: T): T;
export function useFlag(flagKey: string, defaultValue: JsonValue): JsonValue {
  const cleave = useCleaveContext();
  const client = cleave?.client;
  // Read for its subscription: the evaluation below runs again whenever the payload changes.
  useConfiguration(client);
  if (client === undefined) return defaultValue;
  const context = cleave?.context;
  switch (typeof defaultValue) {
    case 'boolean':
      return client.getBooleanValue(flagKey, defaultValue, context);
    case 'string':
      return client.getStringValue(flagKey, defaultValue, context);
    case 'number':
      return client.getNumberValue(flagKey, defaultValue, context);
    default:
      return client.getJsonValue(flagKey, defaultValue, context);
  }
}
