/**
 * @module features/holdouts/service
 * Holdouts as managed definitions: validated by `@cleave/core`, checked against the project's
 * whole definition set, and part of every environment's SDK config.
 *
 * A holdout decides which units every experiment in its scope (the project, or one layer) may see.
 * Creating, archiving or restoring one, or changing its fraction, seed or layer, moves units of the
 * experiments in scope; while any of them runs, such a change is refused (409 `experiment_running`).
 * Its name, description and tags stay editable.
 */
import { type Holdout, validateHoldout } from '@cleave/core';
import type { SqlExecutor } from '../../adapters/sql/transactor.js';
import type { Project } from '../../domain/project.js';
import type { DefinitionRecord } from '../definitions/definition-record.js';
import {
  type DefinitionKind,
  DefinitionService,
  type DefinitionServiceOptions,
} from '../definitions/service.js';
import {
  type AssignmentScope,
  refuseWhileRunning,
  runningExperimentsIn,
} from '../experiments/running-experiments.js';

export const holdoutKind: DefinitionKind<Holdout> = {
  table: 'holdouts',
  noun: 'holdout',
  validate: validateHoldout,
  setMember: 'holdouts',
  initialStatus: 'active',
};

function scopeOf(holdout: Holdout): AssignmentScope {
  return holdout.layerKey === undefined ? { kind: 'project' } : { kind: 'layer', layerKey: holdout.layerKey };
}

/** The fields of `after` that assign units differently from `before`. */
function assignmentChanges(before: Holdout, after: Holdout): string[] {
  const changed: string[] = [];
  if (before.fraction !== after.fraction) changed.push('fraction');
  // The bucket is salted with the seed, or the key when there is none.
  if ((before.seed ?? before.key) !== (after.seed ?? after.key)) changed.push('seed');
  if (before.layerKey !== after.layerKey) changed.push('layerKey');
  return changed;
}

export class HoldoutService extends DefinitionService<Holdout> {
  constructor(options: DefinitionServiceOptions) {
    super(options, holdoutKind);
  }

  /** Runs in the transaction of every create and of every update of a live holdout. */
  protected override async checkSet(
    tx: SqlExecutor,
    project: Project,
    key: string,
    definition: Holdout,
  ): Promise<void> {
    await super.checkSet(tx, project, key, definition);
    const current = await this.store(tx).get(project.id, key);
    if (current === undefined) {
      const running = await runningExperimentsIn(tx, project.id, [scopeOf(definition)]);
      refuseWhileRunning(running, `creating holdout "${key}"`, ['holdout']);
      return;
    }
    const changed = assignmentChanges(current.definition, definition);
    if (changed.length === 0) return;
    const running = await runningExperimentsIn(tx, project.id, [
      scopeOf(current.definition),
      scopeOf(definition),
    ]);
    refuseWhileRunning(running, `changing the ${changed.join(', ')} of holdout "${key}"`, changed);
  }

  protected override async checkArchiving(
    tx: SqlExecutor,
    project: Project,
    current: DefinitionRecord<Holdout>,
    archived: boolean,
  ): Promise<void> {
    // Archiving a live holdout releases its units into running experiments; restoring takes them out.
    if (archived === (current.status === 'archived')) return;
    const running = await runningExperimentsIn(tx, project.id, [scopeOf(current.definition)]);
    refuseWhileRunning(running, `${archived ? 'archiving' : 'restoring'} holdout "${current.key}"`, [
      'status',
    ]);
  }
}

export function createHoldoutService(options: DefinitionServiceOptions): HoldoutService {
  return new HoldoutService(options);
}
