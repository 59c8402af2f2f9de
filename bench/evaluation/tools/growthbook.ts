/**
 * @module The workloads in GrowthBook: the server-side singleton `GrowthBookClient`, loaded with
 * `initSync({ payload })` (no client key, so no fetching, polling or streaming), evaluated with
 * `evalFeature(key, userContext)`, which is what `isOn` / `getFeatureValue` call.
 *
 * Equivalence notes:
 * - The rule is the Mongo-style condition `{ country: "NL", plan: { $in: ["pro", "team"] } }`
 *   on a `force: true` rule over `defaultValue: false`.
 * - The experiment is an experiment rule with `variations: [false, true]`, weights 0.5/0.5,
 *   coverage 1, hashed on the `id` attribute with hash version 2 (GrowthBook's current one;
 *   FNV-1a based, so units land in different arms than in Cleave: the split, not the
 *   assignment, is what is equivalent). No tracking callback is configured, so none is called.
 * - The bench runs with NODE_ENV=production (bench/run.ts): otherwise every evaluation also
 *   builds debug-log arguments.
 */
import { type FeatureDefinition, GrowthBookClient, type UserContext } from '@growthbook/growthbook';
import {
  type EvaluationHarness,
  EXPERIMENT_FLAG,
  EXPERIMENT_KEY,
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

function countryFeature(country: string): FeatureDefinition<boolean> {
  return {
    defaultValue: false,
    rules: [{ id: 'targeted', condition: { country, plan: { $in: [...PLANS_TARGETED] } }, force: true }],
  };
}

export const GROWTHBOOK_FEATURES: Record<string, FeatureDefinition<boolean>> = {
  [STATIC_FLAG]: { defaultValue: true },
  [RULE_FLAG]: countryFeature('NL'),
  [EXPERIMENT_FLAG]: {
    defaultValue: false,
    rules: [
      {
        id: 'split',
        key: EXPERIMENT_KEY,
        seed: EXPERIMENT_KEY,
        variations: [false, true],
        weights: [0.5, 0.5],
        coverage: 1,
        hashAttribute: 'id',
        hashVersion: 2,
      },
    ],
  },
};
MANY_FLAG_KEYS.forEach((key, index) => {
  GROWTHBOOK_FEATURES[key] = countryFeature(MANY_COUNTRIES[index % MANY_COUNTRIES.length] ?? 'NL');
});

function toUserContext(unit: UnitAttributes): UserContext {
  return { attributes: { id: unit.id, country: unit.country, plan: unit.plan } };
}

export function createGrowthBookHarness(): EvaluationHarness {
  const client = new GrowthBookClient().initSync({ payload: { features: GROWTHBOOK_FEATURES } });
  const matching = toUserContext(MATCHING_UNIT);
  const units = EXPERIMENT_UNITS.map(toUserContext);

  return {
    name: 'growthbook',
    answer: (flagKey, unit) => client.evalFeature(flagKey, toUserContext(unit)).value === true,
    loops: {
      static(iterations) {
        let count = 0;
        for (let i = 0; i < iterations; i++)
          if (client.evalFeature(STATIC_FLAG, matching).value === true) count++;
        return count;
      },
      rule(iterations) {
        let count = 0;
        for (let i = 0; i < iterations; i++)
          if (client.evalFeature(RULE_FLAG, matching).value === true) count++;
        return count;
      },
      experiment(iterations) {
        let count = 0;
        for (let i = 0; i < iterations; i++) {
          const unit = units[i & INPUT_MASK] ?? matching;
          if (client.evalFeature(EXPERIMENT_FLAG, unit).value === true) count++;
        }
        return count;
      },
      many(iterations) {
        let count = 0;
        for (let i = 0; i < iterations; i++) {
          if (client.evalFeature(MANY_DRAWN_KEYS[i & INPUT_MASK] ?? '', matching).value === true) count++;
        }
        return count;
      },
    },
    close() {
      client.destroy();
    },
  };
}
