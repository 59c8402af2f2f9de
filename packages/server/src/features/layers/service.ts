/**
 * @module features/layers/service
 * Layers as managed definitions: validated by `@cleave/core`, checked against the project's
 * whole definition set, and part of every environment's SDK config.
 *
 * A layer's seed salts the bucket its experiments split: changing it reshuffles every unit of
 * those experiments, so while one of them runs the seed is fixed (409 `experiment_running`), as the
 * experiment's own seed is. Archiving a layer in use is already refused by the reference check.
 */
import { type Layer, validateLayer } from '@cleave/core';
import type { SqlExecutor } from '../../adapters/sql/transactor.js';
import type { Project } from '../../domain/project.js';
import {
  type DefinitionKind,
  DefinitionService,
  type DefinitionServiceOptions,
} from '../definitions/service.js';
import { refuseWhileRunning, runningExperimentsIn } from '../experiments/running-experiments.js';

export const layerKind: DefinitionKind<Layer> = {
  table: 'layers',
  noun: 'layer',
  validate: validateLayer,
  setMember: 'layers',
  initialStatus: 'active',
};

export class LayerService extends DefinitionService<Layer> {
  constructor(options: DefinitionServiceOptions) {
    super(options, layerKind);
  }

  /** Runs in the transaction of every create and of every update of a live layer. */
  protected override async checkSet(
    tx: SqlExecutor,
    project: Project,
    key: string,
    definition: Layer,
  ): Promise<void> {
    await super.checkSet(tx, project, key, definition);
    const current = await this.store(tx).get(project.id, key);
    // The bucket is salted with the seed, or the key when there is none.
    if (current === undefined || (current.definition.seed ?? key) === (definition.seed ?? key)) return;
    const running = await runningExperimentsIn(tx, project.id, [{ kind: 'layer', layerKey: key }]);
    refuseWhileRunning(running, `changing the seed of layer "${key}"`, ['seed']);
  }
}

export function createLayerService(options: DefinitionServiceOptions): LayerService {
  return new LayerService(options);
}
