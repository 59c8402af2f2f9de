/**
 * @module features/flags/routes
 * `/api/v1/projects/{projectKey}/flags`: the shared definition routes plus per-environment state:
 * replace it, flip the kill switch, add, reorder and remove rules.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { expectedVersion } from '../../http/version-precondition.js';
import { callerOf, currentProject } from '../access/request-context.js';
import { definitionRoutes, sendDefinition } from '../definitions/routes.js';
import {
  AddRuleBody,
  CreateFlagBody,
  FlagEnvironmentParams,
  FlagResponse,
  FlagRuleParams,
  PatchFlagBody,
  PutFlagEnvironmentBody,
  ReorderRulesBody,
  ToggleBody,
} from './schemas.js';
import type { FlagService } from './service.js';

export const flagRoutes: FastifyPluginAsyncZod<{ flags: FlagService }> = async (app, { flags }) => {
  await app.register(
    definitionRoutes({
      service: flags,
      path: 'flags',
      noun: 'flag',
      createBody: CreateFlagBody,
      patchBody: PatchFlagBody,
      response: FlagResponse,
    }),
  );

  const environmentPath = '/projects/:projectKey/flags/:key/environments/:environmentKey';
  const write = { access: { scope: 'project', permission: 'write' } } as const;
  const tags = ['flags'];

  app.put(
    environmentPath,
    {
      config: write,
      schema: {
        tags,
        summary: "Replace a flag's state in one environment",
        params: FlagEnvironmentParams,
        body: PutFlagEnvironmentBody,
        response: { 200: FlagResponse },
      },
    },
    async (request, reply) => {
      const { version, ...state } = request.body;
      const { key, environmentKey } = request.params;
      const updated = await flags.setEnvironment(
        currentProject(request),
        key,
        environmentKey,
        state,
        expectedVersion(request, version),
        callerOf(request),
      );
      return sendDefinition(reply, updated);
    },
  );

  app.post(
    `${environmentPath}/toggle`,
    {
      config: write,
      schema: {
        tags,
        summary: 'Turn a flag on or off in one environment (the kill switch)',
        params: FlagEnvironmentParams,
        body: ToggleBody,
        response: { 200: FlagResponse },
      },
    },
    async (request, reply) => {
      const { key, environmentKey } = request.params;
      const updated = await flags.toggle(
        currentProject(request),
        key,
        environmentKey,
        request.body.enabled,
        expectedVersion(request, request.body.version),
        callerOf(request),
      );
      return sendDefinition(reply, updated);
    },
  );

  app.post(
    `${environmentPath}/rules`,
    {
      config: write,
      schema: {
        tags,
        summary: 'Add a targeting rule',
        params: FlagEnvironmentParams,
        body: AddRuleBody,
        response: { 200: FlagResponse },
      },
    },
    async (request, reply) => {
      const { key, environmentKey } = request.params;
      const { rule, index, version } = request.body;
      const updated = await flags.addRule(
        currentProject(request),
        key,
        environmentKey,
        rule,
        index,
        expectedVersion(request, version),
        callerOf(request),
      );
      return sendDefinition(reply, updated);
    },
  );

  app.post(
    `${environmentPath}/rules/reorder`,
    {
      config: write,
      schema: {
        tags,
        summary: 'Reorder the rules (first match wins)',
        params: FlagEnvironmentParams,
        body: ReorderRulesBody,
        response: { 200: FlagResponse },
      },
    },
    async (request, reply) => {
      const { key, environmentKey } = request.params;
      const updated = await flags.reorderRules(
        currentProject(request),
        key,
        environmentKey,
        request.body.ruleIds,
        expectedVersion(request, request.body.version),
        callerOf(request),
      );
      return sendDefinition(reply, updated);
    },
  );

  app.delete(
    `${environmentPath}/rules/:ruleId`,
    {
      config: write,
      schema: {
        tags,
        summary: 'Remove a rule (send the version in If-Match)',
        params: FlagRuleParams,
        response: { 200: FlagResponse },
      },
    },
    async (request, reply) => {
      const { key, environmentKey, ruleId } = request.params;
      const updated = await flags.removeRule(
        currentProject(request),
        key,
        environmentKey,
        ruleId,
        expectedVersion(request, undefined),
        callerOf(request),
      );
      return sendDefinition(reply, updated);
    },
  );
};
