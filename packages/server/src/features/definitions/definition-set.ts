/**
 * @module features/definitions/definition-set
 * Cross-object validation before a save: the project's definitions as they would be after the
 * change must still be consistent (references resolve, layer ranges don't overlap, no cycles).
 * `@cleave/core` decides what consistent means; this module loads the set and maps core's paths
 * back onto the request, so the client sees `/body/...` for its own object.
 */
import { type DefinitionSet, type ValidationIssue, validateDefinitionSet } from '@cleave/core';
import type { SqlExecutor } from '../../adapters/sql/transactor.js';
import { KyselyDefinitionStore } from './store.js';

export type SetMember = keyof DefinitionSet;

/** Statuses that take part in evaluation: archived definitions are out of the set. */
const LIVE = ['active', 'draft', 'running', 'stopped'];

export type SetChange =
  | { member: SetMember; key: string; value: unknown }
  | { member: SetMember; key: string; remove: true };

export async function loadDefinitionSet(
  db: SqlExecutor,
  projectId: string,
): Promise<Record<SetMember, unknown[]>> {
  const [flags, segments, experiments, layers, holdouts] = await Promise.all(
    (['flags', 'segments', 'experiments', 'layers', 'holdouts'] as const).map(async (member) =>
      (await new KyselyDefinitionStore(db, member).list(projectId, { status: LIVE })).map(
        (record) => record.definition,
      ),
    ),
  );
  return {
    flags: flags ?? [],
    segments: segments ?? [],
    experiments: experiments ?? [],
    layers: layers ?? [],
    holdouts: holdouts ?? [],
  };
}

/**
 * The issues the change would cause, or none. Paths into the changed object become `/body/...`;
 * paths into other objects name them (`/flags[checkout]/...`), since the client didn't send those.
 */
export async function issuesAfterChange(
  db: SqlExecutor,
  projectId: string,
  change: SetChange,
): Promise<ValidationIssue[]> {
  const set = await loadDefinitionSet(db, projectId);
  const members = set[change.member].filter((definition) => keyOf(definition) !== change.key);
  const changedIndex = members.length;
  if (!('remove' in change)) members.push(change.value);
  const candidate = { ...set, [change.member]: members };
  const result = validateDefinitionSet(candidate);
  if (result.ok) return [];
  return result.issues.map((issue) => ({
    ...issue,
    path: rewritePath(issue.path, change.member, changedIndex, candidate),
  }));
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
