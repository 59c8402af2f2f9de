/**
 * @module `useVariant`: a unit's experiment variation in a component.
 */
import { useCleaveContext } from './cleave-provider.js';
import { useConfiguration } from './use-configuration.js';

/**
 * The variation of `experimentKey` assigned to the context of the nearest `CleaveProvider`, or
 * `undefined` (not in the experiment, no configuration yet, outside a provider). Logs an exposure.
 *
 * @example
 * function Pricing() {
 *   const variation = useVariant('pricing-test');
 *   return variation === 'annual-first' ? <AnnualFirst /> : <MonthlyFirst />;
 * }
 */
export function useVariant(experimentKey: string): string | undefined {
  const cleave = useCleaveContext();
  useConfiguration(cleave?.client);
  return cleave?.client.getVariant(experimentKey, cleave.context);
}
