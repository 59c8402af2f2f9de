/**
 * @module @cleave/sdk/openfeature
 * OpenFeature providers backed by a Cleave client: {@link CleaveServerProvider} for
 * `@openfeature/server-sdk` and {@link CleaveWebProvider} for `@openfeature/web-sdk`. Neither
 * imports an OpenFeature SDK at runtime, so an app installs only the SDK it uses.
 *
 * @example
 * import { OpenFeature } from '@openfeature/server-sdk';
 * import { CleaveServerProvider } from '@cleave/sdk/openfeature';
 * await OpenFeature.setProviderAndWait(new CleaveServerProvider({ sdkKey, apiHost }));
 */
export { CleaveServerProvider } from './server-provider.js';
export { toCleaveContext } from './to-cleave-context.js';
export { toResolutionDetails } from './to-resolution-details.js';
export { CleaveWebProvider } from './web-provider.js';
