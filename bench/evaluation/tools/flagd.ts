/**
 * @module The workloads in flagd: `@openfeature/flagd-core`, the evaluation engine of flagd's
 * in-process providers, loaded with `setConfigurations(json)` and evaluated with
 * `resolveBooleanEvaluation` (no provider, no sync connection: nothing touches the network).
 *
 * Equivalence notes:
 * - Targeting is JsonLogic, compiled by json-logic-engine into a JavaScript function (flagd-core's
 *   default mode). The rule is `{"if": [{"and": [{"===": [country, "NL"]}, {"in": [plan,
 *   ["pro", "team"]]}]}, "on", null]}`: a null result falls back to the default variant `off`.
 * - The experiment is `{"fractional": [["control", 50], ["treatment", 50]]}`, which buckets
 *   `flagKey + targetingKey` with MurmurHash3; units land in different arms than in Cleave.
 */
import { FlagdCore } from '@openfeature/flagd-core';
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

type EvaluationContext = Record<string, string>;

const BOOLEAN_VARIANTS = { on: true, off: false };

function countryFlag(country: string) {
  return {
    state: 'ENABLED',
    variants: BOOLEAN_VARIANTS,
    defaultVariant: 'off',
    targeting: {
      if: [
        { and: [{ '===': [{ var: 'country' }, country] }, { in: [{ var: 'plan' }, [...PLANS_TARGETED]] }] },
        'on',
        null,
      ],
    },
  };
}

export const FLAGD_CONFIG = {
  flags: {
    [STATIC_FLAG]: { state: 'ENABLED', variants: BOOLEAN_VARIANTS, defaultVariant: 'on' },
    [RULE_FLAG]: countryFlag('NL'),
    [EXPERIMENT_FLAG]: {
      state: 'ENABLED',
      variants: { control: false, treatment: true },
      defaultVariant: 'control',
      targeting: {
        fractional: [
          ['control', 50],
          ['treatment', 50],
        ],
      },
    },
    ...Object.fromEntries(
      MANY_FLAG_KEYS.map((key, index) => [
        key,
        countryFlag(MANY_COUNTRIES[index % MANY_COUNTRIES.length] ?? 'NL'),
      ]),
    ),
  },
};

function toContext(unit: UnitAttributes): EvaluationContext {
  return { targetingKey: unit.id, country: unit.country, plan: unit.plan };
}

export function createFlagdHarness(): EvaluationHarness {
  const core = new FlagdCore();
  core.setConfigurations(JSON.stringify(FLAGD_CONFIG));
  const matching = toContext(MATCHING_UNIT);
  const units = EXPERIMENT_UNITS.map(toContext);

  return {
    name: 'flagd',
    answer: (flagKey, unit) => core.resolveBooleanEvaluation(flagKey, false, toContext(unit)).value,
    loops: {
      static(iterations) {
        let count = 0;
        for (let i = 0; i < iterations; i++) {
          if (core.resolveBooleanEvaluation(STATIC_FLAG, false, matching).value) count++;
        }
        return count;
      },
      rule(iterations) {
        let count = 0;
        for (let i = 0; i < iterations; i++) {
          if (core.resolveBooleanEvaluation(RULE_FLAG, false, matching).value) count++;
        }
        return count;
      },
      experiment(iterations) {
        let count = 0;
        for (let i = 0; i < iterations; i++) {
          const unit = units[i & INPUT_MASK] ?? matching;
          if (core.resolveBooleanEvaluation(EXPERIMENT_FLAG, false, unit).value) count++;
        }
        return count;
      },
      many(iterations) {
        let count = 0;
        for (let i = 0; i < iterations; i++) {
          if (core.resolveBooleanEvaluation(MANY_DRAWN_KEYS[i & INPUT_MASK] ?? '', false, matching).value)
            count++;
        }
        return count;
      },
    },
    close() {},
  };
}
