/**
 * @module What each definition references by key: a flag its prerequisite flags, the segments of
 * its rule conditions and the experiments its rules run; a segment the segments it nests; an
 * experiment its layer; a holdout its layer. Layers reference nothing.
 *
 * The server keeps these edges as an index, so a change is checked against only the definitions
 * it can affect (its own references and those pointing at it) instead of the whole project.
 *
 * @example
 * definitionReferences('segments', { key: 'eu-pro', conditions: [{ segment: 'eu' }] });
 * // → [{ kind: 'segments', key: 'eu' }]
 */
import { forEachSegmentReference } from './check-references.js';
import type { DefinitionSet } from './validate.js';

export type DefinitionKindName = keyof DefinitionSet;

export interface DefinitionReference {
  kind: DefinitionKindName;
  key: string;
}

/** The distinct references of one definition of `kind`, in first-seen order. */
export function definitionReferences<K extends DefinitionKindName>(
  kind: K,
  definition: DefinitionSet[K][number],
): DefinitionReference[] {
  const seen = new Map<string, DefinitionReference>();
  const add = (to: DefinitionKindName, key: string) => {
    const id = `${to}\u0000${key}`;
    if (!seen.has(id)) seen.set(id, { kind: to, key });
  };
  const addSegment = (key: string) => add('segments', key);
  switch (kind) {
    case 'flags': {
      const flag = definition as DefinitionSet['flags'][number];
      for (const environment of Object.values(flag.environments)) {
        for (const prerequisite of environment.prerequisites ?? []) add('flags', prerequisite.flagKey);
        for (const rule of environment.rules ?? []) {
          forEachSegmentReference(rule.conditions, [], addSegment);
          if (rule.type === 'experiment') add('experiments', rule.experimentKey);
        }
      }
      break;
    }
    case 'segments':
      forEachSegmentReference((definition as DefinitionSet['segments'][number]).conditions, [], addSegment);
      break;
    case 'experiments': {
      const layer = (definition as DefinitionSet['experiments'][number]).layer;
      if (layer !== undefined) add('layers', layer.key);
      break;
    }
    case 'holdouts': {
      const layerKey = (definition as DefinitionSet['holdouts'][number]).layerKey;
      if (layerKey !== undefined) add('layers', layerKey);
      break;
    }
    case 'layers':
      break;
  }
  return [...seen.values()];
}
