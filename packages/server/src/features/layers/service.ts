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
import type { ServiceContext } from '../../service-context.js';
import type { Stores } from '../../stores.js';
import type { DefinitionRecord } from '../definitions/definition-record.js';
import { type DefinitionKind, DefinitionService } from '../definitions/service.js';
import { refuseWhileRunning, runningExperimentsIn } from '../experiments/running-experiments.js';
import type { Project } from '../projects/project.js';

export const layerKind: DefinitionKind<Layer> = {
  table: 'layers',
  noun: 'layer',
  validate: validateLayer,
  setMember: 'layers',
  initialStatus: 'active',
};

export class LayerService extends DefinitionService<Layer> {
  constructor(context: ServiceContext) {
    super(context, layerKind);
  }

  /** Runs in the transaction of every create and of every update of a live layer. */
  protected override async checkSet(
    stores: Stores,
    project: Project,
    key: string,
    definition: Layer,
  ): Promise<void> {
    await super.checkSet(stores, project, key, definition);
    const current = (await stores.layers.get(project.id, key)) as DefinitionRecord<Layer> | undefined;
    // The bucket is salted with the seed, or the key when there is none.
    if (current === undefined || (current.definition.seed ?? key) === (definition.seed ?? key)) return;
    const running = await runningExperimentsIn(stores, project.id, [{ kind: 'layer', layerKey: key }]);
    refuseWhileRunning(running, `changing the seed of layer "${key}"`, ['seed']);
  }
}

export function createLayerService(context: ServiceContext): LayerService {
  return new LayerService(context);
}
