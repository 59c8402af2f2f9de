/**
 * @module features/layers/service
 * Layers as managed definitions: validated by `@cleave/core`, checked against the project's
 * whole definition set, and part of every environment's SDK config.
 */
import { type Layer, validateLayer } from '@cleave/core';
import type { ServiceContext } from '../../service-context.js';
import { type DefinitionKind, DefinitionService } from '../definitions/service.js';

export const layerKind: DefinitionKind<Layer> = {
  table: 'layers',
  noun: 'layer',
  validate: validateLayer,
  setMember: 'layers',
  initialStatus: 'active',
};

export function createLayerService(context: ServiceContext): DefinitionService<Layer> {
  return new DefinitionService(context, layerKind);
}
