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

function checkUniqueKeys(
  items: readonly { key: string }[],
  pathOf: (index: number) => readonly PropertyKey[],
  noun: string,
  report: Report,
): Map<string, number> {
  const indexByKey = new Map<string, number>();
  items.forEach((item, index) => {
    if (indexByKey.has(item.key)) report([...pathOf(index), 'key'], `duplicate ${noun} key "${item.key}"`);
    else indexByKey.set(item.key, index);
  });
  return indexByKey;
}

/** Calls `visit` for every segment reference in `condition`, with its path. */
function visitSegmentReferences(
  condition: Condition,
  path: readonly PropertyKey[],
  visit: (segmentKey: string, path: readonly PropertyKey[]) => void,
): void {
  if ('segment' in condition) visit(condition.segment, [...path, 'segment']);
  else if ('all' in condition) forEachSegmentReference(condition.all, [...path, 'all'], visit);
  else if ('any' in condition) forEachSegmentReference(condition.any, [...path, 'any'], visit);
  else if ('not' in condition) visitSegmentReferences(condition.not, [...path, 'not'], visit);
}

/** Calls `visit` for every segment reference in a list of conditions at `path`. */
export function forEachSegmentReference(
  conditions: readonly Condition[] | undefined,
  path: readonly PropertyKey[],
  visit: (segmentKey: string, path: readonly PropertyKey[]) => void,
): void {
  conditions?.forEach((condition, index) => {
    visitSegmentReferences(condition, [...path, index], visit);
  });
}

interface Edge {
  to: string;
  path: readonly PropertyKey[];
}

/** Reports each edge that closes a cycle in `graph`, naming the cycle. */
function reportCycles(graph: ReadonlyMap<string, Edge[]>, noun: string, report: Report): void {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string) => {
    state.set(node, 'visiting');
    stack.push(node);
    for (const edge of graph.get(node) ?? []) {
      const seen = state.get(edge.to);
      if (seen === 'visiting') {
        const cycle = [...stack.slice(stack.indexOf(edge.to)), edge.to];
        report(edge.path, `${noun} cycle: ${cycle.join(' → ')}`);
      } else if (seen === undefined && graph.has(edge.to)) {
        visit(edge.to);
      }
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
}

function checkSegments(input: ReferenceInput, report: Report): Set<string> {
  const segmentKeys = new Set(
    checkUniqueKeys(input.segments, (i) => ['segments', i], 'segment', report).keys(),
  );
  const graph = new Map<string, Edge[]>();
  input.segments.forEach((segment, index) => {
    const edges: Edge[] = graph.get(segment.key) ?? [];
    graph.set(segment.key, edges);
    forEachSegmentReference(segment.conditions, ['segments', index, 'conditions'], (key, path) => {
      if (!segmentKeys.has(key)) report(path, `unknown segment "${key}"`);
      else edges.push({ to: key, path });
    });
  });
  reportCycles(graph, 'segment', report);
  return segmentKeys;
}

function checkExperiments(input: ReferenceInput, report: Report): Map<string, number> {
  const experimentIndex = checkUniqueKeys(input.experiments, (i) => ['experiments', i], 'experiment', report);
  const layerKeys = new Set(checkUniqueKeys(input.layers, (i) => ['layers', i], 'layer', report).keys());
  checkUniqueKeys(input.holdouts, (i) => ['holdouts', i], 'holdout', report);
  input.holdouts.forEach((holdout, index) => {
    if (holdout.layerKey !== undefined && !layerKeys.has(holdout.layerKey)) {
      report(['holdouts', index, 'layerKey'], `unknown layer "${holdout.layerKey}"`);
    }
  });
  const byLayer = new Map<string, number[]>();
  input.experiments.forEach((experiment, index) => {
    if (experiment.layer === undefined) return;
    if (!layerKeys.has(experiment.layer.key)) {
      report(['experiments', index, 'layer', 'key'], `unknown layer "${experiment.layer.key}"`);
      return;
    }
    const members = byLayer.get(experiment.layer.key) ?? [];
    members.push(index);
    byLayer.set(experiment.layer.key, members);
  });
  for (const [layerKey, members] of byLayer) {
    const sorted = [...members].sort(
      (a, b) =>
        (input.experiments[a]?.layer?.range.start ?? 0) - (input.experiments[b]?.layer?.range.start ?? 0),
    );
    for (let i = 1; i < sorted.length; i++) {
      const previous = input.experiments[sorted[i - 1] ?? 0];
      const current = input.experiments[sorted[i] ?? 0];
      if (previous?.layer === undefined || current?.layer === undefined) continue;
      if (current.layer.range.start < previous.layer.range.end) {
        report(
          ['experiments', sorted[i] ?? 0, 'layer', 'range'],
          `overlaps experiment "${previous.key}" in layer "${layerKey}" (ranges must not overlap)`,
        );
      }
    }
    // A layer divides one bucket per unit id; experiments hashing different attributes would
    // see different buckets for the same person and exclusivity would not hold.
    const first = input.experiments[members[0] ?? 0];
    const firstAttribute = first?.hashAttribute ?? 'targetingKey';
    for (const index of members.slice(1)) {
      const attribute = input.experiments[index]?.hashAttribute ?? 'targetingKey';
      if (attribute !== firstAttribute) {
        report(
          ['experiments', index, 'hashAttribute'],
          `must equal "${firstAttribute}", the hash attribute of "${first?.key}" in the same layer`,
        );
      }
    }
  }
  return experimentIndex;
}

function checkScope(
  scope: FlagScope,
  input: ReferenceInput,
  segmentKeys: ReadonlySet<string>,
  experimentIndex: ReadonlyMap<string, number>,
  variantsByFlag: ReadonlyMap<string, ReadonlySet<string>>,
  report: Report,
): void {
  scope.environment.prerequisites?.forEach((prerequisite, index) => {
    const variants = variantsByFlag.get(prerequisite.flagKey);
    const path = [...scope.path, 'prerequisites', index];
    if (variants === undefined) {
      report([...path, 'flagKey'], `unknown flag "${prerequisite.flagKey}"`);
      return;
    }
    prerequisite.variants.forEach((variant, variantIndex) => {
      if (!variants.has(variant)) {
        report(
          [...path, 'variants', variantIndex],
          `flag "${prerequisite.flagKey}" has no variant "${variant}"`,
        );
      }
    });
  });
  scope.environment.rules?.forEach((rule, index) => {
    const rulePath = [...scope.path, 'rules', index];
    forEachSegmentReference(rule.conditions, [...rulePath, 'conditions'], (key, path) => {
      if (!segmentKeys.has(key)) report(path, `unknown segment "${key}"`);
    });
    if (rule.type !== 'experiment') return;
    const experiment = input.experiments[experimentIndex.get(rule.experimentKey) ?? -1];
    if (experiment === undefined) {
      report([...rulePath, 'experimentKey'], `unknown experiment "${rule.experimentKey}"`);
      return;
    }
    const variationKeys = new Set(experiment.variations.map((variation) => variation.key));
    for (const variationKey of Object.keys(rule.variants ?? {})) {
      if (!variationKeys.has(variationKey)) {
        report(
          [...rulePath, 'variants', variationKey],
          `experiment "${experiment.key}" has no variation "${variationKey}"`,
        );
      }
    }
    for (const variation of experiment.variations) {
      const variant = rule.variants?.[variation.key] ?? variation.key;
      if (!scope.variantKeys.has(variant)) {
        report(
          [...rulePath, 'variants'],
          `variation "${variation.key}" of experiment "${experiment.key}" maps to no variant of the flag (map it to one)`,
        );
      }
    }
  });
}

/** Every cross-object problem in `input`, with JSON Pointer paths. */
export function checkReferences(input: ReferenceInput): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const report: Report = (path, message) => issues.push({ path: toJsonPointer(path), message });

  const variantsByFlag = new Map<string, ReadonlySet<string>>();
  for (const flag of input.flags) {
    if (variantsByFlag.has(flag.key)) report([...flag.path, 'key'], `duplicate flag key "${flag.key}"`);
    else variantsByFlag.set(flag.key, flag.variantKeys);
  }
  const segmentKeys = checkSegments(input, report);
  const experimentIndex = checkExperiments(input, report);

  const graphs = new Map<string, Map<string, Edge[]>>();
  for (const scope of input.scopes) {
    checkScope(scope, input, segmentKeys, experimentIndex, variantsByFlag, report);
    const graph = graphs.get(scope.group) ?? new Map<string, Edge[]>();
    graphs.set(scope.group, graph);
    graph.set(
      scope.flagKey,
      // Self-references are reported by the flag's own validation; skip them here.
      (scope.environment.prerequisites ?? []).flatMap((prerequisite, index) =>
        prerequisite.flagKey === scope.flagKey
          ? []
          : [{ to: prerequisite.flagKey, path: [...scope.path, 'prerequisites', index, 'flagKey'] }],
      ),
    );
  }
  for (const graph of graphs.values()) reportCycles(graph, 'prerequisite', report);
  return issues;
}
