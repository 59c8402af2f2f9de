/**
 * @module features/flags/service
 * Flags: definitions shared by all environments (type, variants, default and off variants) and a
 * state per environment (kill switch, prerequisites, overrides, ordered rules). A change to one
 * environment's state bumps only that environment's SDK config version.
 */
import { type Flag, type FlagEnvironment, type Rule, validateFlag } from '@cleave/core';
import type { SqlExecutor } from '../../adapters/sql/transactor.js';
import type { Project } from '../../domain/project.js';
import { NotFoundError, ValidationError } from '../../http/errors.js';
import type { ChangeScope } from '../changes/change-recorder.js';
import type { DefinitionRecord } from '../definitions/definition-record.js';
import { keysReferencing } from '../definitions/read-definitions.js';
import {
  type Caller,
  type DefinitionKind,
  DefinitionService,
  type DefinitionServiceOptions,
  invalid,
} from '../definitions/service.js';
import type { ProjectService } from '../projects/service.js';
import { type StaleFlag, staleness } from './staleness.js';

/** Which flag, in which environment, by whom, against which version: what every per-environment change names. */
export interface FlagEnvironmentTarget {
  project: Project;
  key: string;
  environmentKey: string;
  expectedVersion: number;
  caller: Caller;
}

/** An experiment's decision, applied to the flags that run it. */
export interface ExperimentDecision {
  experimentKey: string;
  outcome: 'ship' | 'rollback';
  /** The winning variation (ship). */
  variation?: string | undefined;
}

export const flagKind: DefinitionKind<Flag> = {
  table: 'flags',
  noun: 'flag',
  validate: validateFlag,
  setMember: 'flags',
  initialStatus: 'active',
};

const DISABLED: FlagEnvironment = { enabled: false };

export class FlagService extends DefinitionService<Flag> {
  constructor(
    options: DefinitionServiceOptions & {
      projects: Pick<ProjectService, 'listEnvironments' | 'environmentByKey'>;
    },
  ) {
    super(options, flagKind);
    this.projects = options.projects;
  }

  private readonly projects: Pick<ProjectService, 'listEnvironments' | 'environmentByKey'>;

  /**
   * Every flag has a state in every environment of its project: missing ones start disabled, and
   * states for environments the project doesn't have are refused (a typo would otherwise vanish).
   */
  protected override async prepare(project: Project, input: unknown, db?: SqlExecutor): Promise<Flag> {
    if (typeof input === 'object' && input !== null) {
      const environments = await this.projects.listEnvironments(project, db);
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
      return super.prepare(project, { ...input, environments: filled }, db);
    }
    return super.prepare(project, input, db);
  }

  /** Replaces one environment's state with what `change` makes of it (given the whole flag too). */
  async changeEnvironment(
    target: FlagEnvironmentTarget & {
      change: (state: FlagEnvironment, flag: Flag) => FlagEnvironment;
      verb?: string;
    },
  ): Promise<DefinitionRecord<Flag>> {
    const { project, key, environmentKey } = target;
    const environment = await this.projects.environmentByKey(project, environmentKey);
    const current = await this.get(project, key);
    const state = current.definition.environments[environmentKey] ?? DISABLED;
    const candidate = {
      ...current.definition,
      environments: {
        ...current.definition.environments,
        [environmentKey]: target.change(state, current.definition),
      },
    };
    return this.replace({
      project,
      current,
      candidate,
      expectedVersion: target.expectedVersion,
      caller: target.caller,
      verb: target.verb ?? 'updated',
      environments: [environment.id],
    });
  }

  setEnvironment(target: FlagEnvironmentTarget & { state: FlagEnvironment }) {
    return this.changeEnvironment({ ...target, change: () => target.state });
  }

  /**
   * Makes the environment's state a copy of another environment's (kill switch, prerequisites,
   * overrides, rules): promote what was tried in staging to production in one reviewed step.
   */
  copyEnvironment(target: FlagEnvironmentTarget & { from: string }) {
    const { from, environmentKey } = target;
    return this.changeEnvironment({
      ...target,
      verb: 'updated',
      change: (_state, flag) => {
        const source = flag.environments[from];
        if (from === environmentKey || source === undefined) {
          throw new ValidationError(`Cannot copy ${environmentKey}'s configuration from "${from}".`, {
            issues: [
              {
                path: '/body/from',
                message:
                  from === environmentKey
                    ? 'must be another environment than the one copied to'
                    : `the project has no environment "${from}"`,
              },
            ],
          });
        }
        return structuredClone(source);
      },
    });
  }

  /**
   * Clean-up candidates in one environment (see `staleness`). `lastEvaluated` is the server's
   * record of evaluations there; changes come from the config change log.
   */
  async staleIn(
    project: Project,
    environmentKey: string,
    options: { days: number; lastEvaluated: (environmentId: string) => Promise<Map<string, string>> },
  ): Promise<{ cutoff: string; items: StaleFlag[] }> {
    const environment = await this.projects.environmentByKey(project, environmentKey);
    const cutoff = new Date(this.options.changes.clock.now().getTime() - options.days * 86_400_000);
    const [flags, changed, evaluated] = await Promise.all([
      this.list(project, { status: ['active'] }),
      this.options.changes.lastChanges(environment.id, flagKind.noun),
      options.lastEvaluated(environment.id),
    ]);
    const items: StaleFlag[] = [];
    for (const record of flags) {
      const stale = staleness(
        {
          key: record.key,
          name: record.name,
          flag: record.definition,
          state: record.definition.environments[environmentKey] ?? DISABLED,
          createdAt: record.createdAt,
          lastChangedAt: changed.get(record.key),
          lastEvaluatedAt: evaluated.get(record.key),
        },
        cutoff,
      );
      if (stale) items.push(stale);
    }
    return { cutoff: cutoff.toISOString(), items };
  }

  toggle(target: FlagEnvironmentTarget & { enabled: boolean }) {
    return this.changeEnvironment({
      ...target,
      change: (state) => ({ ...state, enabled: target.enabled }),
      verb: 'toggled',
    });
  }

  addRule(target: FlagEnvironmentTarget & { rule: Rule; index?: number | undefined }) {
    return this.changeEnvironment({
      ...target,
      change: (state) => {
        const rules = [...(state.rules ?? [])];
        rules.splice(target.index ?? rules.length, 0, target.rule);
        return { ...state, rules };
      },
    });
  }

  /** `ruleIds` must name every rule exactly once: a partial order would be ambiguous. */
  reorderRules(target: FlagEnvironmentTarget & { ruleIds: string[] }) {
    const { ruleIds } = target;
    return this.changeEnvironment({
      ...target,
      change: (state) => {
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
    });
  }

  removeRule(target: FlagEnvironmentTarget & { ruleId: string }) {
    const { ruleId, environmentKey } = target;
    return this.changeEnvironment({
      ...target,
      change: (state) => {
        const rules = state.rules ?? [];
        if (!rules.some((rule) => rule.id === ruleId))
          throw new NotFoundError(`The flag has no rule "${ruleId}" in ${environmentKey}.`);
        return { ...state, rules: rules.filter((rule) => rule.id !== ruleId) };
      },
    });
  }

  /**
   * Applies an experiment's decision to every active flag that runs it, inside the experiment's
   * stop transaction. Ship: each experiment rule becomes a force rule serving the winner's flag
   * variant to the same units. Roll back: the rule is removed, so the flag serves what it did
   * before the experiment. Each rewritten flag is validated and recorded like any other change.
   */
  /** The active flags with a rule that runs `experimentKey`, found through the references index. */
  async flagsRunning(
    project: Project,
    experimentKey: string,
    db?: SqlExecutor,
  ): Promise<DefinitionRecord<Flag>[]> {
    const keys = await keysReferencing(
      db ?? this.options.transactor.db,
      project.id,
      { kind: 'experiments', key: experimentKey },
      'flags',
    );
    return keys.length === 0 ? [] : this.list(project, { status: ['active'], keys }, db);
  }

  async applyExperimentDecision(
    scope: ChangeScope,
    project: Project,
    decision: ExperimentDecision,
    caller: Caller,
  ) {
    const { experimentKey } = decision;
    const flags = await this.flagsRunning(project, experimentKey, scope.tx);
    const environments = await this.projects.listEnvironments(project, scope.tx);
    const runsIt = (rule: Rule) => rule.type === 'experiment' && rule.experimentKey === experimentKey;
    for (const flag of flags) {
      const changedEnvironments: string[] = [];
      const next: Record<string, FlagEnvironment> = {};
      for (const [environmentKey, state] of Object.entries(flag.definition.environments)) {
        const rules = state.rules ?? [];
        if (!rules.some(runsIt)) {
          next[environmentKey] = state;
          continue;
        }
        const replaced: Rule[] = [];
        for (const rule of rules) {
          if (rule.type !== 'experiment' || rule.experimentKey !== experimentKey) {
            replaced.push(rule);
          } else if (decision.outcome === 'ship' && decision.variation) {
            replaced.push({
              id: rule.id,
              type: 'force',
              variant: rule.variants?.[decision.variation] ?? decision.variation,
              description: `Shipped "${decision.variation}" of experiment ${experimentKey}`,
              ...(rule.conditions && { conditions: rule.conditions }),
              ...(rule.schedule && { schedule: rule.schedule }),
            });
          }
        }
        next[environmentKey] = { ...state, rules: replaced };
        const environment = environments.find((candidate) => candidate.key === environmentKey);
        if (environment) changedEnvironments.push(environment.id);
      }
      if (changedEnvironments.length === 0) continue;
      await this.replaceIn(scope, {
        project,
        current: flag,
        candidate: { ...flag.definition, environments: next },
        expectedVersion: flag.version,
        caller,
        verb: 'updated',
        environments: changedEnvironments,
      });
    }
  }
}
