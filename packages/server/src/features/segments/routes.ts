/**
 * @module features/segments/routes
 * `/api/v1/projects/{projectKey}/segments`: the routes every definition has (list, read, create,
 * patch, archive, restore), with the segment's own schemas.
 */
import type { Segment } from '@cleave/core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { definitionRoutes } from '../definitions/routes.js';
import type { DefinitionService } from '../definitions/service.js';
import { CreateSegmentBody, PatchSegmentBody, SegmentResponse } from './schemas.js';

export const segmentRoutes: FastifyPluginAsyncZod<{ segments: DefinitionService<Segment> }> = async (
  app,
  options,
) =>
  app.register(
    definitionRoutes<Segment>({
      service: options.segments,
      path: 'segments',
      noun: 'segment',
      createBody: CreateSegmentBody,
      patchBody: PatchSegmentBody,
      response: SegmentResponse,
    }),
  );
