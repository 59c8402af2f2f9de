/**
 * @module Config payloads for SDK tests: one flag of each type, and an experiment flag with an
 * override and a force rule in front of it (neither may log an exposure).
 */
import type { ConfigPayload, PayloadFlag } from '@cleave/core';

export const EXPERIMENT_FLAG = 'new-checkout';
export const EXPERIMENT = 'checkout-test';
/** Overridden to "on" in `new-checkout`: never in the experiment. */
export const OVERRIDDEN_UNIT = 'qa-user';
/** Units with this country are forced to "on" before the experiment rule. */
export const FORCED_COUNTRY = 'QA';

export function experimentFlag(): PayloadFlag {
  return {
    key: EXPERIMENT_FLAG,
    type: 'boolean',
    variants: [
      { key: 'on', value: true },
      { key: 'off', value: false },
    ],
    defaultVariant: 'off',
    offVariant: 'off',
    enabled: true,
    overrides: [{ values: [OVERRIDDEN_UNIT], variant: 'on' }],
    rules: [
      {
        id: 'forced',
        type: 'force',
        variant: 'on',
        conditions: [{ attribute: 'country', operator: 'eq', value: FORCED_COUNTRY }],
      },
      {
        id: 'test',
        type: 'experiment',
        experimentKey: EXPERIMENT,
        variants: { control: 'off', treatment: 'on' },
      },
    ],
  };
}

export function stringFlag(value = 'blue'): PayloadFlag {
  return {
    key: 'button-color',
    type: 'string',
    variants: [
      { key: 'current', value },
      { key: 'other', value: 'other' },
    ],
    defaultVariant: 'current',
    offVariant: 'current',
    enabled: true,
  };
}

export function numberFlag(value = 10): PayloadFlag {
  return {
    key: 'max-items',
    type: 'number',
    variants: [{ key: 'current', value }],
    defaultVariant: 'current',
    offVariant: 'current',
    enabled: true,
  };
}

export function jsonFlag(value: { limit: number } = { limit: 3 }): PayloadFlag {
  return {
    key: 'checkout-config',
    type: 'json',
    variants: [{ key: 'current', value }],
    defaultVariant: 'current',
    offVariant: 'current',
    enabled: true,
  };
}

/** A boolean flag that is simply on or off for everyone. */
export function switchFlag(key: string, on: boolean): PayloadFlag {
  return {
    key,
    type: 'boolean',
    variants: [
      { key: 'on', value: true },
      { key: 'off', value: false },
    ],
    defaultVariant: on ? 'on' : 'off',
    offVariant: 'off',
    enabled: true,
  };
}

/** A flag that is on only while flag `prerequisite` serves "on" (a failed prerequisite serves off). */
export function dependentFlag(key: string, prerequisite: string): PayloadFlag {
  return { ...switchFlag(key, true), prerequisites: [{ flagKey: prerequisite, variants: ['on'] }] };
}

export function payloadOf(version: number, flags: PayloadFlag[] = defaultFlags()): ConfigPayload {
  return {
    schemaVersion: 1,
    hashVersion: 1,
    environment: 'production',
    version,
    flags,
    segments: [],
    experiments: [
      {
        key: EXPERIMENT,
        variations: [
          { key: 'control', weight: 0.5 },
          { key: 'treatment', weight: 0.5 },
        ],
      },
    ],
    layers: [],
    holdouts: [],
  };
}

export function defaultFlags(): PayloadFlag[] {
  return [experimentFlag(), stringFlag(), numberFlag(), jsonFlag(), switchFlag('dark-mode', false)];
}
