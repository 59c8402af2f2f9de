/**
 * @module features/definitions/definition-set
 * Cross-object validation before a save: the project's definitions as they would be after the
 * change must still be consistent (references resolve, layer ranges don't overlap, no cycles).
 * `@cleave/core` decides what consistent means; this module finds what a change can affect and
 * maps core's paths back onto the request, so the client sees `/body/...` for its own object.
 *
 * Only the change's neighbourhood is loaded, through the references index, never the whole
 * project (a write in a project of 100,000 flags costs what it costs in one of 100):
 * - the changed definition and everything it references;
 * - for flags and segments, every definition reachable through references of the same kind, so a
 *   prerequisite or segment cycle through the change is seen;
 * - the definitions that reference it, when the change can break them: it is removed (archived),
 *   a flag's variants or an experiment's variations changed;
 * - for an experiment in a layer, the other experiments of that layer (ranges, hash attribute).
 *
 * Core validates that partial set twice, before and after the change. A partial set lacks some
 * definitions that the neighbours reference, so they can show issues of their own that are not
 * real; those show before the change as well. The change is refused for every issue in the changed
 * definition (all it references is loaded, so those are real), and for every issue elsewhere that
 * the change introduced.
 */
import {
  type DefinitionKindName,
  type DefinitionSet,
  definitionReferences,
  type ValidationIssue,
  validateDefinitionSet,
} from '@cleave/core';
import type { SqlExecutor } from '../../adapters/sql/transactor.js';
import { KyselyDefinitionReferenceStore } from './reference-store.js';
import { KyselyDefinitionStore } from './store.js';

export type SetMember = keyof DefinitionSet;

const MEMBERS: readonly SetMember[] = ['flags', 'segments', 'experiments', 'layers', 'holdouts'];

/** Statuses that take part in evaluation: archived definitions are out of the set. */
const LIVE = ['active', 'draft', 'running', 'stopped'];

export type SetChange =
  | { member: SetMember; key: string; value: unknown }
  | { member: SetMember; key: string; remove: true };

type Wanted = Record<SetMember, Set<string>>;
type PartialSet = Record<SetMember, unknown[]>;

/**
 * The issues the change would cause, or none. Paths into the changed object become `/body/...`;
 * paths into other objects name them (`/flags[checkout]/...`), since the client didn't send those.
 */
export async function issuesAfterChange(
  db: SqlExecutor,
  projectId: string,
  change: SetChange,
): Promise<ValidationIssue[]> {
  const { member, key } = change;
  const currentRecord = await new KyselyDefinitionStore(db, member).get(projectId, key);
  const current = currentRecord && LIVE.includes(currentRecord.status) ? currentRecord.definition : undefined;
  const next = 'remove' in change ? undefined : change.value;

  const wanted = await neighbourhood(db, projectId, member, key, current, next);
  const base = await loadLive(db, projectId, wanted, { member, key });
  const changedIndex = base[member].length;
  const after = withChanged(base, member, next);
  const result = validateDefinitionSet(after);
  if (result.ok) return [];

  const before = validateDefinitionSet(withChanged(base, member, current));
  const existing = new Set(before.ok ? [] : before.issues.map(identity));
  const ownPath = `/${member}/${changedIndex}`;
  return result.issues
    .filter(
      (issue) =>
        (next !== undefined && (issue.path === ownPath || issue.path.startsWith(`${ownPath}/`))) ||
        !existing.has(identity(issue)),
    )
    .map((issue) => ({ ...issue, path: rewritePath(issue.path, member, changedIndex, after) }));
}

function identity(issue: ValidationIssue): string {
  return `${issue.path}\u0000${issue.message}`;
}

function withChanged(base: PartialSet, member: SetMember, definition: unknown): PartialSet {
  return definition === undefined ? base : { ...base, [member]: [...base[member], definition] };
}

/** The keys, per kind, of the definitions the change can affect or depends on. */
async function neighbourhood(
  db: SqlExecutor,
  projectId: string,
  member: SetMember,
  key: string,
  current: unknown,
  next: unknown,
): Promise<Wanted> {
  const wanted: Wanted = {
    flags: new Set(),
    segments: new Set(),
    experiments: new Set(),
    layers: new Set(),
    holdouts: new Set(),
  };
  const references = new KyselyDefinitionReferenceStore(db);
  const outgoing = next === undefined ? [] : referencesOf(member, next);
  for (const reference of outgoing) wanted[reference.kind].add(reference.key);

  if (member === 'flags' || member === 'segments') {
    // Everything reachable through same-kind references: a cycle through the change closes there.
    let frontier = [...wanted[member]].filter((candidate) => candidate !== key);
    while (frontier.length > 0) {
      const edges = await references.outgoing(projectId, member, frontier, member);
      frontier = [];
      for (const edge of edges) {
        if (edge.to.key === key || wanted[member].has(edge.to.key)) continue;
        wanted[member].add(edge.to.key);
        frontier.push(edge.to.key);
      }
    }
  }

  if (referrersCanBreak(member, current, next)) {
    for (const edge of await references.incoming(projectId, member, [key]))
      wanted[edge.from.kind].add(edge.from.key);
  }

  if (member === 'experiments') {
    const layers = new Set(
      [current, next].flatMap((definition) =>
        definition === undefined ? [] : referencesOf(member, definition).map((reference) => reference.key),
      ),
    );
    if (layers.size > 0) {
      for (const edge of await references.incoming(projectId, 'layers', [...layers], 'experiments'))
        wanted.experiments.add(edge.from.key);
    }
  }
  wanted[member].delete(key);
  return wanted;
}

/**
 * Whether definitions referencing the changed one can become invalid: when it goes away, or when
 * what they name inside it changes (a flag's variants, which prerequisites name; an experiment's
 * variations, which experiment rules map). Layers, segments and holdouts are referenced by key only.
 */
function referrersCanBreak(member: SetMember, current: unknown, next: unknown): boolean {
  if (next === undefined) return current !== undefined;
  if (current === undefined) return false;
  if (member === 'flags') return keysOf(current, 'variants') !== keysOf(next, 'variants');
  if (member === 'experiments') return keysOf(current, 'variations') !== keysOf(next, 'variations');
  return false;
}

function keysOf(definition: unknown, field: 'variants' | 'variations'): string {
  const items = (definition as Record<string, { key: string }[] | undefined>)[field] ?? [];
  return items
    .map((item) => item.key)
    .sort()
    .join('\u0000');
}

function referencesOf(member: SetMember, definition: unknown) {
  return definitionReferences(member as DefinitionKindName, definition as DefinitionSet[SetMember][number]);
}

/** The live definitions among `wanted`, per kind, in key order; `changed` is left out. */
async function loadLive(
  db: SqlExecutor,
  projectId: string,
  wanted: Wanted,
  changed: { member: SetMember; key: string },
): Promise<PartialSet> {
  const loaded = await Promise.all(
    MEMBERS.map(async (member) => {
      const keys = [...wanted[member]].filter((key) => !(member === changed.member && key === changed.key));
      if (keys.length === 0) return [];
      const records = await new KyselyDefinitionStore(db, member).list(projectId, { status: LIVE, keys });
      return records.map((record) => record.definition);
    }),
  );
  return {
    flags: loaded[0] ?? [],
    segments: loaded[1] ?? [],
    experiments: loaded[2] ?? [],
    layers: loaded[3] ?? [],
    holdouts: loaded[4] ?? [],
  };
}

function rewritePath(
  pointer: string,
  member: SetMember,
  changedIndex: number,
  set: Record<SetMember, unknown[]>,
): string {
  const [, first, index, ...rest] = pointer.split('/');
  const suffix = rest.length > 0 ? `/${rest.join('/')}` : '';
  if (first === member && Number(index) === changedIndex) return `/body${suffix}`;
  const list = first !== undefined && first in set ? set[first as SetMember] : undefined;
  const other = list?.[Number(index)];
  return other === undefined ? pointer : `/${first}[${keyOf(other)}]${suffix}`;
}

function keyOf(definition: unknown): string | undefined {
  return typeof definition === 'object' && definition !== null && 'key' in definition
    ? String((definition as { key: unknown }).key)
    : undefined;
}
