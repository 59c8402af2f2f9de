/**
 * @module From managed definitions to one environment's config payload.
 */
import type { Condition } from './condition.js';
import {
  CONFIG_SCHEMA_VERSION,
  type ConfigPayload,
  HASH_VERSION,
  type PayloadFlag,
} from './config-payload.js';
import type { Experiment } from './experiment.js';
import type { Flag } from './flag.js';
import type { Holdout } from './holdout.js';
import type { Layer } from './layer.js';
import type { Segment } from './segment.js';

export interface BuildConfigPayloadInput {
  environment: string;
  version: number;
  /** ISO time of generation; omitted from the payload when absent (core reads no clock). */
  generatedAt?: string;
  flags: readonly Flag[];
  segments: readonly Segment[];
  experiments: readonly Experiment[];
  layers: readonly Layer[];
  holdouts: readonly Holdout[];
}

function collectSegmentKeys(conditions: readonly Condition[] | undefined, into: Set<string>): void {
  for (const condition of conditions ?? []) {
    if ('segment' in condition) into.add(condition.segment);
    else if ('all' in condition) collectSegmentKeys(condition.all, into);
    else if ('any' in condition) collectSegmentKeys(condition.any, into);
    else if ('not' in condition) collectSegmentKeys([condition.not], into);
  }
}

/**
 * Builds the payload SDKs download for `environment` from validated definitions.
 *
 * - Each flag carries only this environment's state; a flag with no state here is included as
 *   disabled, so SDKs serve its off variant instead of reporting it missing.
 * - Names and descriptions are dropped, and so are segments, experiments, layers and holdouts
 *   that no flag of this environment can reach: browser payloads are public.
 * - The function is pure; run `validateConfigPayload` on the result if the inputs were not
 *   validated as a set.
 *
 * @example
 * const payload = buildConfigPayload({ environment: 'production', version: 42, flags, segments,
 *   experiments, layers, holdouts });
 * const compiled = compileConfig(payload);
 */
export function buildConfigPayload(input: BuildConfigPayloadInput): ConfigPayload {
  const flags: PayloadFlag[] = input.flags.map((flag) => {
    const state = flag.environments[input.environment] ?? { enabled: false };
    const payloadFlag: PayloadFlag = {
      key: flag.key,
      type: flag.type,
      variants: flag.variants.map((variant) => ({ key: variant.key, value: variant.value })),
      defaultVariant: flag.defaultVariant,
      offVariant: flag.offVariant,
      enabled: state.enabled,
    };
    if (state.prerequisites !== undefined) payloadFlag.prerequisites = state.prerequisites;
    if (state.overrides !== undefined) payloadFlag.overrides = state.overrides;
    if (state.rules !== undefined) payloadFlag.rules = state.rules;
    return payloadFlag;
  });

  const experimentKeys = new Set<string>();
  const segmentKeys = new Set<string>();
  for (const flag of flags) {
    for (const rule of flag.rules ?? []) {
      collectSegmentKeys(rule.conditions, segmentKeys);
      if (rule.type === 'experiment') experimentKeys.add(rule.experimentKey);
    }
  }
  // Segments reference segments: close the set over those references.
  const segmentsByKey = new Map(input.segments.map((segment) => [segment.key, segment]));
  const pending = [...segmentKeys];
  for (let key = pending.pop(); key !== undefined; key = pending.pop()) {
    const nested = new Set<string>();
    collectSegmentKeys(segmentsByKey.get(key)?.conditions, nested);
    for (const nestedKey of nested) {
      if (!segmentKeys.has(nestedKey)) {
        segmentKeys.add(nestedKey);
        pending.push(nestedKey);
      }
    }
  }

  const experiments = input.experiments.filter((experiment) => experimentKeys.has(experiment.key));
  const layerKeys = new Set(
    experiments.flatMap((experiment) => (experiment.layer ? [experiment.layer.key] : [])),
  );
  const holdouts =
    experiments.length === 0
      ? []
      : input.holdouts.filter((holdout) => holdout.layerKey === undefined || layerKeys.has(holdout.layerKey));

  const payload: ConfigPayload = {
    schemaVersion: CONFIG_SCHEMA_VERSION,
    hashVersion: HASH_VERSION,
    environment: input.environment,
    version: input.version,
    flags,
    segments: input.segments
      .filter((segment) => segmentKeys.has(segment.key))
      .map(({ name: _name, description: _description, ...segment }) => segment),
    experiments: experiments.map(({ name: _name, description: _description, ...experiment }) => ({
      ...experiment,
      variations: experiment.variations.map((variation) => ({
        key: variation.key,
        weight: variation.weight,
      })),
    })),
    layers: input.layers
      .filter((layer) => layerKeys.has(layer.key))
      .map(({ name: _name, description: _description, ...layer }) => layer),
    holdouts: holdouts.map(({ name: _name, description: _description, ...holdout }) => holdout),
  };
  if (input.generatedAt !== undefined) payload.generatedAt = input.generatedAt;
  return payload;
}
