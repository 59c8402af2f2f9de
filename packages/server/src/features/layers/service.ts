/**
 * @module features/layers/service
 * Layers as managed definitions: validated by `@cleave/core`, checked against the project's
 * whole definition set, and part of every environment's SDK config.
 */
import { type Layer, validateLayer } from '@cleave/core';
import {
  type DefinitionKind,
  DefinitionService,
  type DefinitionServiceOptions,
} from '../definitions/service.js';

export const layerKind: DefinitionKind<Layer> = {
  table: 'layers',
  noun: 'layer',
  validate: validateLayer,
  setMember: 'layers',
  initialStatus: 'active',
};

export function createLayerService(options: DefinitionServiceOptions): DefinitionService<Layer> {
  return new DefinitionService(options, layerKind);
}
