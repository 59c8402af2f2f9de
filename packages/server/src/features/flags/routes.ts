/**
 * @module features/flags/routes
 * `/api/v1/projects/{projectKey}/flags`: the shared definition routes plus per-environment state:
 * replace it, flip the kill switch, add, reorder and remove rules; and "test this flag": how it
 * evaluates for a context in an environment's current configuration, with the why of every rule.
 */
import type { EvaluationContext, EvaluationResult } from '@cleave/core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { NotFoundError } from '../../http/errors.js';
import { EvaluationDetails, toEvaluationDetails } from '../../http/evaluation-details.js';
import { expectedVersion } from '../../http/version-precondition.js';
import { callerOf, currentProject } from '../access/request-context.js';
import { definitionRoutes, sendDefinition } from '../definitions/routes.js';

import {
  AddRuleBody,
  CopyEnvironmentBody,
  CreateFlagBody,
  ExplainBody,
  FlagEnvironmentParams,
  FlagResponse,
  FlagRuleParams,
  PatchFlagBody,
  PutFlagEnvironmentBody,
  ReorderRulesBody,
  StaleFlagsParams,
  StaleFlagsQuery,
  StaleFlagsResponse,
  ToggleBody,
} from './schemas.js';
import type { FlagService } from './service.js';

/** Evaluates one flag with its explanation; SDK delivery's compiled configurations implement it. */
export interface FlagExplainer {
  explainFlag(
    projectId: string,
    environmentKey: string,
    flagKey: string,
    context: EvaluationContext,
  ): Promise<EvaluationResult | undefined>;
}

/** When the server last evaluated each flag in an environment (ISO-8601 by flag key). */
export interface FlagUsageReader {
  lastEvaluated(environmentId: string): Promise<Map<string, string>>;
}

export interface FlagRoutesOptions {
  flags: FlagService;
  explainer: FlagExplainer;
  usage: FlagUsageReader;
}

export const flagRoutes: FastifyPluginAsyncZod<FlagRoutesOptions> = async (
  app,
  { flags, explainer, usage },
) => {
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
      const updated = await flags.setEnvironment({
        project: currentProject(request),
        key,
        environmentKey,
        state,
        expectedVersion: expectedVersion(request, version),
        caller: callerOf(request),
      });
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
      const updated = await flags.toggle({
        project: currentProject(request),
        key,
        environmentKey,
        enabled: request.body.enabled,
        expectedVersion: expectedVersion(request, request.body.version),
        caller: callerOf(request),
      });
      return sendDefinition(reply, updated);
    },
  );

  app.post(
    `${environmentPath}/copy`,
    {
      config: write,
      schema: {
        tags,
        summary:
          "Copy a flag's configuration (kill switch, prerequisites, overrides, rules) from another environment",
        params: FlagEnvironmentParams,
        body: CopyEnvironmentBody,
        response: { 200: FlagResponse },
      },
    },
    async (request, reply) => {
      const { key, environmentKey } = request.params;
      const updated = await flags.copyEnvironment({
        project: currentProject(request),
        key,
        environmentKey,
        from: request.body.from,
        expectedVersion: expectedVersion(request, request.body.version),
        caller: callerOf(request),
      });
      return sendDefinition(reply, updated);
    },
  );

  app.get(
    '/projects/:projectKey/environments/:environmentKey/stale-flags',
    {
      config: { access: { scope: 'project', permission: 'read' } },
      schema: {
        tags,
        summary:
          'Flags to clean up in an environment: unchanged and serving one variant to every unit, or not evaluated, for `days` days',
        params: StaleFlagsParams,
        querystring: StaleFlagsQuery,
        response: { 200: StaleFlagsResponse },
      },
    },
    async (request) => {
      const { environmentKey } = request.params;
      const { days } = request.query;
      const stale = await flags.staleIn(currentProject(request), environmentKey, {
        days,
        lastEvaluated: (environmentId) => usage.lastEvaluated(environmentId),
      });
      return { environment: environmentKey, days, ...stale };
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
      const updated = await flags.addRule({
        project: currentProject(request),
        key,
        environmentKey,
        rule,
        index,
        expectedVersion: expectedVersion(request, version),
        caller: callerOf(request),
      });
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
      const updated = await flags.reorderRules({
        project: currentProject(request),
        key,
        environmentKey,
        ruleIds: request.body.ruleIds,
        expectedVersion: expectedVersion(request, request.body.version),
        caller: callerOf(request),
      });
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
      const updated = await flags.removeRule({
        project: currentProject(request),
        key,
        environmentKey,
        ruleId,
        expectedVersion: expectedVersion(request, undefined),
        caller: callerOf(request),
      });
      return sendDefinition(reply, updated);
    },
  );

  app.post(
    `${environmentPath}/evaluate`,
    {
      config: { access: { scope: 'project', permission: 'read' } },
      schema: {
        tags,
        summary:
          "Test a flag: evaluate it for a context in an environment's current configuration, with the trace of every rule",
        params: FlagEnvironmentParams,
        body: ExplainBody,
        response: { 200: EvaluationDetails },
      },
    },
    async (request) => {
      const { key, environmentKey } = request.params;
      const project = currentProject(request);
      const result = await explainer.explainFlag(
        project.id,
        environmentKey,
        key,
        request.body.context as EvaluationContext,
      );
      if (!result) throw new NotFoundError(`Project ${project.key} has no environment ${environmentKey}.`);
      return toEvaluationDetails(result);
    },
  );
};
