/**
 * @module features/flags/service
 * Flags: definitions shared by all environments (type, variants, default and off variants) and a
 * state per environment (kill switch, prerequisites, overrides, ordered rules). A change to one
 * environment's state bumps only that environment's SDK config version.
 */
import { type Flag, type FlagEnvironment, type Rule, validateFlag } from '@cleave/core';
import type { Project } from '../../domain/project.js';
import { NotFoundError, ValidationError } from '../../http/errors.js';
import type { ServiceContext } from '../../service-context.js';
import type { DefinitionRecord } from '../definitions/definition-record.js';
import { type Caller, type DefinitionKind, DefinitionService, invalid } from '../definitions/service.js';

export const flagKind: DefinitionKind<Flag> = {
  table: 'flags',
  noun: 'flag',
  validate: validateFlag,
  setMember: 'flags',
  initialStatus: 'active',
};

const DISABLED: FlagEnvironment = { enabled: false };

export class FlagService extends DefinitionService<Flag> {
  constructor(context: ServiceContext) {
    super(context, flagKind);
  }

  /**
   * Every flag has a state in every environment of its project: missing ones start disabled, and
   * states for environments the project doesn't have are refused (a typo would otherwise vanish).
   */
  protected override async prepare(project: Project, input: unknown): Promise<Flag> {
    if (typeof input === 'object' && input !== null) {
      const environments = await this.context.stores.projects.listEnvironments(project.id);
      const known = new Set(environments.map((environment) => environment.key));
      const given = (input as { environments?: Record<string, unknown> }).environments ?? {};
      const unknown = Object.keys(given).filter((key) => !known.has(key));
      if (unknown.length > 0) {
        throw invalid(
          'flag',
          unknown.map((key) => ({
            path: `/body/environments/${key}`,
            message: `project "${project.key}" has no environment "${key}"`,
          })),
        );
      }
      const filled = Object.fromEntries(
        environments.map((environment) => [environment.key, given[environment.key] ?? DISABLED]),
      );
      return super.prepare(project, { ...input, environments: filled });
    }
    return super.prepare(project, input);
  }

  /** Replaces one environment's state with what `change` makes of it. */
  async changeEnvironment(
    project: Project,
    key: string,
    environmentKey: string,
    change: (state: FlagEnvironment) => FlagEnvironment,
    expectedVersion: number,
    caller: Caller,
    verb = 'updated',
  ): Promise<DefinitionRecord<Flag>> {
    const environment = (await this.context.stores.projects.listEnvironments(project.id)).find(
      (candidate) => candidate.key === environmentKey,
    );
    if (!environment)
      throw new NotFoundError(`Project "${project.key}" has no environment "${environmentKey}".`);
    const current = await this.get(project, key);
    const state = current.definition.environments[environmentKey] ?? DISABLED;
    const candidate = {
      ...current.definition,
      environments: { ...current.definition.environments, [environmentKey]: change(state) },
    };
    return this.replace(project, current, candidate, expectedVersion, caller, verb, undefined, {
      environments: [environment.id],
    });
  }

  setEnvironment(
    project: Project,
    key: string,
    environmentKey: string,
    state: FlagEnvironment,
    expectedVersion: number,
    caller: Caller,
  ) {
    return this.changeEnvironment(project, key, environmentKey, () => state, expectedVersion, caller);
  }

  toggle(
    project: Project,
    key: string,
    environmentKey: string,
    enabled: boolean,
    expectedVersion: number,
    caller: Caller,
  ) {
    return this.changeEnvironment(
      project,
      key,
      environmentKey,
      (state) => ({ ...state, enabled }),
      expectedVersion,
      caller,
      'toggled',
    );
  }

  addRule(
    project: Project,
    key: string,
    environmentKey: string,
    rule: Rule,
    index: number | undefined,
    expectedVersion: number,
    caller: Caller,
  ) {
    return this.changeEnvironment(
      project,
      key,
      environmentKey,
      (state) => {
        const rules = [...(state.rules ?? [])];
        rules.splice(index ?? rules.length, 0, rule);
        return { ...state, rules };
      },
      expectedVersion,
      caller,
    );
  }

  /** `ruleIds` must name every rule exactly once: a partial order would be ambiguous. */
  reorderRules(
    project: Project,
    key: string,
    environmentKey: string,
    ruleIds: string[],
    expectedVersion: number,
    caller: Caller,
  ) {
    return this.changeEnvironment(
      project,
      key,
      environmentKey,
      (state) => {
        const rules = state.rules ?? [];
        const byId = new Map(rules.map((rule) => [rule.id, rule]));
        const sameSet =
          ruleIds.length === rules.length &&
          new Set(ruleIds).size === ruleIds.length &&
          ruleIds.every((id) => byId.has(id));
        if (!sameSet) {
          throw new ValidationError('ruleIds must list every rule of the environment exactly once.', {
            issues: [
              {
                path: '/body/ruleIds',
                message: `expected a permutation of [${rules.map((rule) => rule.id).join(', ')}]`,
              },
            ],
          });
        }
        return { ...state, rules: ruleIds.map((id) => byId.get(id) as Rule) };
      },
      expectedVersion,
      caller,
    );
  }

  removeRule(
    project: Project,
    key: string,
    environmentKey: string,
    ruleId: string,
    expectedVersion: number,
    caller: Caller,
  ) {
    return this.changeEnvironment(
      project,
      key,
      environmentKey,
      (state) => {
        const rules = state.rules ?? [];
        if (!rules.some((rule) => rule.id === ruleId))
          throw new NotFoundError(`The flag has no rule "${ruleId}" in ${environmentKey}.`);
        return { ...state, rules: rules.filter((rule) => rule.id !== ruleId) };
      },
      expectedVersion,
      caller,
    );
  }
}
