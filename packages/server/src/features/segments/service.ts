/**
 * @module features/segments/service
 * Segments as managed definitions: validated by `@cleave/core`, checked against the project's
 * whole definition set, and part of every environment's SDK config.
 */
import { type Segment, validateSegment } from '@cleave/core';
import {
  type DefinitionKind,
  DefinitionService,
  type DefinitionServiceOptions,
} from '../definitions/service.js';

export const segmentKind: DefinitionKind<Segment> = {
  table: 'segments',
  noun: 'segment',
  validate: validateSegment,
  setMember: 'segments',
  initialStatus: 'active',
};

export function createSegmentService(options: DefinitionServiceOptions): DefinitionService<Segment> {
  return new DefinitionService(options, segmentKind);
}
