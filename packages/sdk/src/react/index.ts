/**
 * @module @cleave/sdk/react
 * React bindings: {@link CleaveProvider} puts a client (and the unit's context) in React
 * context; {@link useFlag} and {@link useVariant} read values and re-render on configuration
 * changes (through `useSyncExternalStore`, so server rendering and hydration agree).
 *
 * @example
 * import { CleaveProvider, useFlag } from '@cleave/sdk/react';
 * <CleaveProvider client={client} context={{ targetingKey: userId }}><App /></CleaveProvider>
 * const enabled = useFlag('new-checkout', false);
 */
export { CleaveProvider, type CleaveProviderProps, useCleaveClient } from './cleave-provider.js';
export { useFlag } from './use-flag.js';
export { useVariant } from './use-variant.js';
