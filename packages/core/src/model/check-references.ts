/**
 * @module Checks across a set of definitions: references resolve, keys are unique, layer ranges
 * do not overlap, prerequisites and segments form no cycles.
 *
 * The payload validator and the definition-set validator describe their flags as scopes (one
 * per flag and environment) and share these checks.
 */
import type { Condition } from './condition.js';
import type { Experiment } from './experiment.js';
import type { FlagEnvironment } from './flag.js';
import type { Holdout } from './holdout.js';
import type { Layer } from './layer.js';
import type { Segment } from './segment.js';
import { toJsonPointer, type ValidationIssue } from './validation-result.js';

/** A flag's state in one environment, with where it sits in the validated input. */
export interface FlagScope {
  flagKey: string;
  variantKeys: ReadonlySet<string>;
  /** Scopes with the same group (environment) form one prerequisite graph. */
  group: string;
  path: readonly PropertyKey[];
  environment: FlagEnvironment;
}

export interface ReferenceInput {
  flags: readonly { key: string; variantKeys: ReadonlySet<string>; path: readonly PropertyKey[] }[];
  scopes: readonly FlagScope[];
  segments: readonly Segment[];
  experiments: readonly Experiment[];
  layers: readonly Layer[];
  holdouts: readonly Holdout[];
}

type Report = (path: readonly PropertyKey[], message: string) => void;
type Path = readonly PropertyKey[];

/** `items` by key; reports each key seen before (the first one wins). */
function byKey<T extends { key: string }>(
  items: readonly T[],
  pathOf: (index: number) => Path,
  noun: string,
  report: Report,
): Map<string, T> {
  const found = new Map<string, T>();
  items.forEach((item, index) => {
    if (found.has(item.key)) report([...pathOf(index), 'key'], `duplicate ${noun} key "${item.key}"`);
    else found.set(item.key, item);
  });
  return found;
}

/** Calls `visit` for every segment reference in a list of conditions at `path`. */
export function forEachSegmentReference(
  conditions: readonly Condition[] | undefined,
  path: Path,
  visit: (segmentKey: string, path: Path) => void,
): void {
  const walk = (condition: Condition, at: Path): void => {
    if ('segment' in condition) visit(condition.segment, [...at, 'segment']);
    else if ('not' in condition) walk(condition.not, [...at, 'not']);
    else {
      const form = 'all' in condition ? 'all' : 'any' in condition ? 'any' : undefined;
      if (form !== undefined)
        (condition as Record<typeof form, Condition[]>)[form].forEach((child, index) => {
          walk(child, [...at, form, index]);
        });
    }
  };
  conditions?.forEach((condition, index) => {
    walk(condition, [...path, index]);
  });
}

/** Edges of a graph: from a node, to the nodes it references, each with where it does. */
type Graph = Map<string, { to: string; path: Path }[]>;

/** Reports each edge that closes a cycle in `graph`, naming the cycle. */
function reportCycles(graph: Graph, noun: string, report: Report): void {
  // A node is on `stack` while being visited, in `done` after.
  const done = new Set<string>();
  const stack: string[] = [];
  const visit = (node: string) => {
    stack.push(node);
    for (const edge of graph.get(node) ?? []) {
      const onStack = stack.indexOf(edge.to);
      if (onStack >= 0) report(edge.path, `${noun} cycle: ${[...stack.slice(onStack), edge.to].join(' → ')}`);
      else if (!done.has(edge.to) && graph.has(edge.to)) visit(edge.to);
    }
    stack.pop();
    done.add(node);
  };
  for (const node of graph.keys()) if (!done.has(node)) visit(node);
}

/** Every cross-object problem in `input`, with JSON Pointer paths. */
export function checkReferences(input: ReferenceInput): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const report: Report = (path, message) => issues.push({ path: toJsonPointer(path), message });
  const unknown = (path: Path, noun: string, key: string) => report(path, `unknown ${noun} "${key}"`);

  const variantsByFlag = new Map<string, ReadonlySet<string>>();
  for (const flag of input.flags) {
    if (variantsByFlag.has(flag.key)) report([...flag.path, 'key'], `duplicate flag key "${flag.key}"`);
    else variantsByFlag.set(flag.key, flag.variantKeys);
  }

  const segments = byKey(input.segments, (i) => ['segments', i], 'segment', report);
  /** Reports references to no segment; returns the edges of the others. */
  const segmentEdges = (conditions: readonly Condition[] | undefined, path: Path) => {
    const edges: { to: string; path: Path }[] = [];
    forEachSegmentReference(conditions, path, (key, at) => {
      if (segments.has(key)) edges.push({ to: key, path: at });
      else unknown(at, 'segment', key);
    });
    return edges;
  };
  const segmentGraph: Graph = new Map();
  input.segments.forEach((segment, index) => {
    const edges = segmentEdges(segment.conditions, ['segments', index, 'conditions']);
    segmentGraph.set(segment.key, [...(segmentGraph.get(segment.key) ?? []), ...edges]);
  });
  reportCycles(segmentGraph, 'segment', report);

  const experiments = byKey(input.experiments, (i) => ['experiments', i], 'experiment', report);
  const layers = byKey(input.layers, (i) => ['layers', i], 'layer', report);
  byKey(input.holdouts, (i) => ['holdouts', i], 'holdout', report);
  input.holdouts.forEach(({ layerKey }, index) => {
    if (layerKey !== undefined && !layers.has(layerKey))
      unknown(['holdouts', index, 'layerKey'], 'layer', layerKey);
  });
  type Member = { experiment: Experiment; index: number; layer: NonNullable<Experiment['layer']> };
  const byLayer = new Map<string, Member[]>();
  input.experiments.forEach((experiment, index) => {
    const layer = experiment.layer;
    if (layer === undefined) return;
    if (layers.has(layer.key))
      byLayer.set(layer.key, [...(byLayer.get(layer.key) ?? []), { experiment, index, layer }]);
    else unknown(['experiments', index, 'layer', 'key'], 'layer', layer.key);
  });
  for (const [layerKey, members] of byLayer) {
    const sorted = [...members].sort((a, b) => a.layer.range.start - b.layer.range.start);
    sorted.forEach(({ index, layer }, i) => {
      const previous = sorted[i - 1];
      if (previous !== undefined && layer.range.start < previous.layer.range.end) {
        report(
          ['experiments', index, 'layer', 'range'],
          `overlaps experiment "${previous.experiment.key}" in layer "${layerKey}" (ranges must not overlap)`,
        );
      }
    });
    // A layer divides one bucket per unit id; experiments hashing different attributes would
    // see different buckets for the same person and exclusivity would not hold.
    const attributeOf = (member: Member | undefined) => member?.experiment.hashAttribute ?? 'targetingKey';
    const first = members[0];
    for (const member of members) {
      if (attributeOf(member) !== attributeOf(first)) {
        report(
          ['experiments', member.index, 'hashAttribute'],
          `must equal "${attributeOf(first)}", the hash attribute of "${first?.experiment.key}" in the same layer`,
        );
      }
    }
  }

  const graphs = new Map<string, Graph>();
  for (const scope of input.scopes) {
    const { prerequisites, rules } = scope.environment;
    const edges: { to: string; path: Path }[] = [];
    prerequisites?.forEach((prerequisite, index) => {
      const path = [...scope.path, 'prerequisites', index];
      const variants = variantsByFlag.get(prerequisite.flagKey);
      if (variants === undefined) unknown([...path, 'flagKey'], 'flag', prerequisite.flagKey);
      else {
        prerequisite.variants.forEach((variant, variantIndex) => {
          if (!variants.has(variant))
            report(
              [...path, 'variants', variantIndex],
              `flag "${prerequisite.flagKey}" has no variant "${variant}"`,
            );
        });
      }
      // Self-references are reported by the flag's own validation; skip them here.
      if (prerequisite.flagKey !== scope.flagKey)
        edges.push({ to: prerequisite.flagKey, path: [...path, 'flagKey'] });
    });
    rules?.forEach((rule, index) => {
      const path = [...scope.path, 'rules', index];
      segmentEdges(rule.conditions, [...path, 'conditions']);
      if (rule.type !== 'experiment') return;
      const experiment = experiments.get(rule.experimentKey);
      if (experiment === undefined) {
        unknown([...path, 'experimentKey'], 'experiment', rule.experimentKey);
        return;
      }
      const variationKeys = experiment.variations.map((variation) => variation.key);
      for (const variationKey of Object.keys(rule.variants ?? {})) {
        if (!variationKeys.includes(variationKey))
          report(
            [...path, 'variants', variationKey],
            `experiment "${experiment.key}" has no variation "${variationKey}"`,
          );
      }
      for (const variationKey of variationKeys) {
        if (!scope.variantKeys.has(rule.variants?.[variationKey] ?? variationKey)) {
          report(
            [...path, 'variants'],
            `variation "${variationKey}" of experiment "${experiment.key}" maps to no variant of the flag (map it to one)`,
          );
        }
      }
    });
    const graph: Graph = graphs.get(scope.group) ?? new Map();
    graphs.set(scope.group, graph);
    graph.set(scope.flagKey, edges);
  }
  for (const graph of graphs.values()) reportCycles(graph, 'prerequisite', report);
  return issues;
}
