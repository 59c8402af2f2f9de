/**
 * @module The workloads in Unleash: the Node SDK's `Unleash` client, bootstrapped from in-memory
 * data, evaluated locally with `isEnabled` and (for the experiment) `getVariant`.
 *
 * No network: `refreshInterval: 0` makes the polling fetcher return before any request,
 * `disableMetrics: true` stops registration and metrics posts (and makes the per-call
 * `count` a no-op), the backup store is the in-memory provider, and `url` points at the
 * loopback discard port should anything try anyway.
 *
 * Equivalence notes:
 * - Unleash has no equality operator: `country == "NL"` is the constraint `country IN ["NL"]`;
 *   custom attributes travel in `context.properties`, the unit id is `userId`.
 * - The flag with no rules is an enabled toggle with no strategies (served on, no evaluation).
 * - The rule and the experiment use the `default` strategy (on for everyone who passes its
 *   constraints), the cheapest form; a `flexibleRollout` at 100% would add a hash per call.
 * - The experiment is a strategy with two variants of weight 500 each (`stickiness: default`,
 *   so `userId`), the form Unleash uses for A/B tests; `getVariant` returns the variant name,
 *   and `treatment` counts as true. Unleash hashes `groupId:userId` with MurmurHash3 seeded
 *   86028157 modulo the total weight, so units land in different arms than in Cleave.
 */
import { once } from 'node:events';
import { type ClientFeaturesResponse, type Context, InMemStorageProvider, Unleash } from 'unleash-client';
import { Operator } from 'unleash-client/lib/strategy/strategy.js';
import {
  type EvaluationHarness,
  EXPERIMENT_FLAG,
  EXPERIMENT_UNITS,
  INPUT_MASK,
  MANY_COUNTRIES,
  MANY_DRAWN_KEYS,
  MANY_FLAG_KEYS,
  MATCHING_UNIT,
  PLANS_TARGETED,
  RULE_FLAG,
  STATIC_FLAG,
  type UnitAttributes,
} from '../workloads.js';

type Feature = ClientFeaturesResponse['features'][number];

function countryFeature(name: string, country: string): Feature {
  return {
    name,
    enabled: true,
    strategies: [
      {
        name: 'default',
        parameters: {},
        constraints: [
          { contextName: 'country', operator: Operator.IN, inverted: false, values: [country] },
          { contextName: 'plan', operator: Operator.IN, inverted: false, values: [...PLANS_TARGETED] },
        ],
      },
    ],
  };
}

export const UNLEASH_FEATURES: readonly Feature[] = [
  { name: STATIC_FLAG, enabled: true, strategies: [] },
  countryFeature(RULE_FLAG, 'NL'),
  {
    name: EXPERIMENT_FLAG,
    enabled: true,
    strategies: [
      {
        name: 'default',
        parameters: { groupId: EXPERIMENT_FLAG },
        constraints: [],
        variants: [
          { name: 'control', weight: 500, stickiness: 'default' },
          { name: 'treatment', weight: 500, stickiness: 'default' },
        ],
      },
    ],
  },
  ...MANY_FLAG_KEYS.map((name, index) =>
    countryFeature(name, MANY_COUNTRIES[index % MANY_COUNTRIES.length] ?? 'NL'),
  ),
];

function toContext(unit: UnitAttributes): Context {
  return { userId: unit.id, properties: { country: unit.country, plan: unit.plan } };
}

export async function createUnleashHarness(): Promise<EvaluationHarness> {
  const unleash = new Unleash({
    appName: 'cleave-bench',
    url: 'http://127.0.0.1:9/',
    refreshInterval: 0,
    disableMetrics: true,
    storageProvider: new InMemStorageProvider(),
    bootstrap: { data: [...UNLEASH_FEATURES] },
    skipInstanceCountWarning: true,
  });
  await once(unleash, 'ready');
  const matching = toContext(MATCHING_UNIT);
  const units = EXPERIMENT_UNITS.map(toContext);
  const served = (flagKey: string, context: Context) =>
    flagKey === EXPERIMENT_FLAG
      ? unleash.getVariant(flagKey, context).name === 'treatment'
      : unleash.isEnabled(flagKey, context);

  return {
    name: 'unleash',
    answer: (flagKey, unit) => served(flagKey, toContext(unit)),
    loops: {
      static(iterations) {
        let count = 0;
        for (let i = 0; i < iterations; i++) if (unleash.isEnabled(STATIC_FLAG, matching)) count++;
        return count;
      },
      rule(iterations) {
        let count = 0;
        for (let i = 0; i < iterations; i++) if (unleash.isEnabled(RULE_FLAG, matching)) count++;
        return count;
      },
      experiment(iterations) {
        let count = 0;
        for (let i = 0; i < iterations; i++) {
          const unit = units[i & INPUT_MASK] ?? matching;
          if (unleash.getVariant(EXPERIMENT_FLAG, unit).name === 'treatment') count++;
        }
        return count;
      },
      many(iterations) {
        let count = 0;
        for (let i = 0; i < iterations; i++) {
          if (unleash.isEnabled(MANY_DRAWN_KEYS[i & INPUT_MASK] ?? '', matching)) count++;
        }
        return count;
      },
    },
    close() {
      unleash.destroy();
    },
  };
}
