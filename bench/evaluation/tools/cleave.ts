/**
 * @module The workloads in Cleave: flags built with `buildConfigPayload`, compiled once with
 * `compileConfig`, evaluated with `evaluate` (the full result: value, variant, reason, metadata and,
 * for the experiment, the exposure record).
 */
import {
  buildConfigPayload,
  compileConfig,
  type EvaluationContext,
  type Experiment,
  evaluate,
  type Flag,
} from '@cleave/core';
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

const BOOLEAN_VARIANTS = [
  { key: 'on', value: true },
  { key: 'off', value: false },
];

function booleanFlag(key: string, rules: NonNullable<Flag['environments'][string]['rules']> = []): Flag {
  return {
    key,
    type: 'boolean',
    variants: BOOLEAN_VARIANTS,
    defaultVariant: rules.length === 0 ? 'on' : 'off',
    offVariant: 'off',
    environments: { production: rules.length === 0 ? { enabled: true } : { enabled: true, rules } },
  };
}

function countryRule(country: string) {
  return [
    {
      id: 'targeted',
      type: 'force' as const,
      variant: 'on',
      conditions: [
        { attribute: 'country', operator: 'eq' as const, value: country },
        { attribute: 'plan', operator: 'in' as const, value: [...PLANS_TARGETED] },
      ],
    },
  ];
}

const experiment: Experiment = {
  key: EXPERIMENT_KEY,
  variations: [
    { key: 'control', weight: 0.5 },
    { key: 'treatment', weight: 0.5 },
  ],
};

export const CLEAVE_FLAGS: readonly Flag[] = [
  booleanFlag(STATIC_FLAG),
  booleanFlag(RULE_FLAG, countryRule('NL')),
  booleanFlag(EXPERIMENT_FLAG, [
    {
      id: 'split',
      type: 'experiment',
      experimentKey: EXPERIMENT_KEY,
      variants: { control: 'off', treatment: 'on' },
    },
  ]),
  ...MANY_FLAG_KEYS.map((key, index) =>
    booleanFlag(key, countryRule(MANY_COUNTRIES[index % MANY_COUNTRIES.length] ?? 'NL')),
  ),
];

/** The workloads' config payload, as the server would deliver it. */
export function cleavePayload() {
  return buildConfigPayload({
    environment: 'production',
    version: 1,
    flags: CLEAVE_FLAGS,
    segments: [],
    experiments: [experiment],
    layers: [],
    holdouts: [],
  });
}

export function toContext(unit: UnitAttributes): EvaluationContext {
  return { targetingKey: unit.id, country: unit.country, plan: unit.plan };
}

export function createCleaveHarness(): EvaluationHarness {
  const config = compileConfig(cleavePayload());
  if (!config.valid) throw new Error(`invalid benchmark config: ${JSON.stringify(config.issues)}`);

  const matching = toContext(MATCHING_UNIT);
  const units = EXPERIMENT_UNITS.map(toContext);
  const served = (flagKey: string, context: EvaluationContext) =>
    evaluate(config, flagKey, context).value === true;

  return {
    name: 'cleave',
    answer: (flagKey, unit) => served(flagKey, toContext(unit)),
    loops: {
      static(iterations) {
        let count = 0;
        for (let i = 0; i < iterations; i++)
          if (evaluate(config, STATIC_FLAG, matching).value === true) count++;
        return count;
      },
      rule(iterations) {
        let count = 0;
        for (let i = 0; i < iterations; i++)
          if (evaluate(config, RULE_FLAG, matching).value === true) count++;
        return count;
      },
      experiment(iterations) {
        let count = 0;
        for (let i = 0; i < iterations; i++) {
          const unit = units[i & INPUT_MASK] ?? matching;
          if (evaluate(config, EXPERIMENT_FLAG, unit).value === true) count++;
        }
        return count;
      },
      many(iterations) {
        let count = 0;
        for (let i = 0; i < iterations; i++) {
          if (evaluate(config, MANY_DRAWN_KEYS[i & INPUT_MASK] ?? '', matching).value === true) count++;
        }
        return count;
      },
    },
    close() {},
  };
}
