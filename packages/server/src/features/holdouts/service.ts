/**
 * @module features/holdouts/service
 * Holdouts as managed definitions: validated by `@cleave/core`, checked against the project's
 * whole definition set, and part of every environment's SDK config.
 */
import { type Holdout, validateHoldout } from '@cleave/core';
import {
  type DefinitionKind,
  DefinitionService,
  type DefinitionServiceOptions,
} from '../definitions/service.js';

export const holdoutKind: DefinitionKind<Holdout> = {
  table: 'holdouts',
  noun: 'holdout',
  validate: validateHoldout,
  setMember: 'holdouts',
  initialStatus: 'active',
};

export function createHoldoutService(options: DefinitionServiceOptions): DefinitionService<Holdout> {
  return new DefinitionService(options, holdoutKind);
}
