/**
 * @module features/segments/service
 * Segments as managed definitions: validated by `@cleave/core`, checked against the project's
 * whole definition set, and part of every environment's SDK config.
 */
import { type Segment, validateSegment } from '@cleave/core';
import type { ServiceContext } from '../../service-context.js';
import { type DefinitionKind, DefinitionService } from '../definitions/service.js';

export const segmentKind: DefinitionKind<Segment> = {
  table: 'segments',
  noun: 'segment',
  validate: validateSegment,
  setMember: 'segments',
  initialStatus: 'active',
};

export function createSegmentService(context: ServiceContext): DefinitionService<Segment> {
  return new DefinitionService(context, segmentKind);
}
