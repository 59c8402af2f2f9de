/**
 * @module features/layers/routes
 * `/api/v1/projects/{projectKey}/layers`: the routes every definition has (list, read, create,
 * patch, archive, restore), with the layer's own schemas.
 */
import type { Layer } from '@cleave/core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { definitionRoutes } from '../definitions/routes.js';
import type { DefinitionService } from '../definitions/service.js';
import { CreateLayerBody, LayerResponse, PatchLayerBody } from './schemas.js';

export const layerRoutes: FastifyPluginAsyncZod<{ layers: DefinitionService<Layer> }> = async (
  app,
  options,
) =>
  app.register(
    definitionRoutes<Layer>({
      service: options.layers,
      path: 'layers',
      noun: 'layer',
      createBody: CreateLayerBody,
      patchBody: PatchLayerBody,
      response: LayerResponse,
    }),
  );
