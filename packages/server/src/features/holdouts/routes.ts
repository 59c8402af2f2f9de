/**
 * @module features/holdouts/routes
 * `/api/v1/projects/{projectKey}/holdouts`: the routes every definition has (list, read, create,
 * patch, archive, restore), with the holdout's own schemas.
 */
import type { Holdout } from '@cleave/core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { definitionRoutes } from '../definitions/routes.js';
import type { DefinitionService } from '../definitions/service.js';
import { CreateHoldoutBody, HoldoutResponse, PatchHoldoutBody } from './schemas.js';

export const holdoutRoutes: FastifyPluginAsyncZod<{ holdouts: DefinitionService<Holdout> }> = async (
  app,
  options,
) =>
  app.register(
    definitionRoutes<Holdout>({
      service: options.holdouts,
      path: 'holdouts',
      noun: 'holdout',
      createBody: CreateHoldoutBody,
      patchBody: PatchHoldoutBody,
      response: HoldoutResponse,
    }),
  );
