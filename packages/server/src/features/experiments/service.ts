/**
 * @module features/experiments/service
 * Experiments and their lifecycle: draft → running → stopped (with a decision) → archived.
 *
 * What a mature platform guards, and this one does:
 * - assignment inputs (variations and weights, seed, hash attribute, layer) cannot change while
 *   the experiment runs, since that silently moves units between variations and biases results;
 * - starting needs a primary metric, existing metrics, and a flag rule that runs the experiment;
 * - concluding can roll the decision out through the flag in the same transaction.
 */
import type { Rule } from '@cleave/core';
import type { Project } from '../../domain/project.js';
import { AppError, ValidationError } from '../../http/errors.js';
import type { DefinitionRecord } from '../definitions/definition-record.js';
import {
  type Caller,
  type DefinitionKind,
  DefinitionService,
  type DefinitionServiceOptions,
} from '../definitions/service.js';
import type { FlagService } from '../flags/service.js';
import {
  ASSIGNMENT_FIELDS,
  type ExperimentDocument,
  validateExperimentDocument,
} from './experiment-document.js';

export class ExperimentStateError extends AppError {
  readonly code: string;
  readonly statusCode = 409;
  constructor(code: string, message: string, details?: unknown) {
    super(message, details);
    this.code = code;
  }
}

export const experimentKind: DefinitionKind<ExperimentDocument> = {
  table: 'experiments',
  noun: 'experiment',
  validate: validateExperimentDocument,
  setMember: 'experiments',
  initialStatus: 'draft',
  statuses: ['draft', 'running', 'stopped', 'archived'],
};

export interface StopInput {
  outcome: 'ship' | 'rollback' | 'inconclusive';
  variation?: string;
  reason?: string;
  /** Apply the decision to the flags that run the experiment (default true). */
  rollout?: boolean;
}

/** Whether a project has an active metric of a key (the metrics feature answers). */
export interface MetricDirectory {
  isActiveMetric(project: Project, key: string): Promise<boolean>;
}

export class ExperimentService extends DefinitionService<ExperimentDocument> {
  private readonly flags: Pick<FlagService, 'flagsRunning' | 'applyExperimentDecision'>;
  private readonly metrics: MetricDirectory;

  constructor(
    options: DefinitionServiceOptions & {
      flags: Pick<FlagService, 'flagsRunning' | 'applyExperimentDecision'>;
      metrics: MetricDirectory;
    },
  ) {
    super(options, experimentKind);
    this.flags = options.flags;
    this.metrics = options.metrics;
  }

  /** The keys of draft or running experiments that use a metric (metrics refuse to archive it). */
  async experimentsUsingMetric(project: Project, metricKey: string): Promise<string[]> {
    const experiments = await this.list(project, { status: ['draft', 'running'] });
    return experiments
      .filter((experiment) =>
        Object.values(experiment.definition.metrics).some((keys) => keys.includes(metricKey)),
      )
      .map((experiment) => experiment.key);
  }

  override async update(
    project: Project,
    key: string,
    patch: Record<string, unknown> & { tags?: string[] },
    expectedVersion: number,
    caller: Caller,
  ): Promise<DefinitionRecord<ExperimentDocument>> {
    const current = await this.get(project, key);
    if (current.status === 'running') {
      const fixed = ASSIGNMENT_FIELDS.filter(
        (field) =>
          field in patch &&
          // null removes a field: no change when the running experiment has none.
          JSON.stringify(patch[field] ?? undefined) !== JSON.stringify(current.definition[field]),
      );
      if (fixed.length > 0) {
        throw new ExperimentStateError(
          'experiment_running',
          `While "${key}" runs, ${fixed.join(', ')} cannot change: that would move units between variations and bias the results. ` +
            `Stop it (POST .../experiments/${key}/stop), change it, then start it again: a new phase begins and results restart.`,
          { fields: fixed },
        );
      }
    }
    if ('phases' in patch || 'decision' in patch) {
      throw new ValidationError('Phases and decisions are set by start and stop, not edited.', {
        issues: [{ path: '/body', message: 'phases and decision are read-only' }],
      });
    }
    if (current.status === 'archived') {
      throw new ExperimentStateError(
        'experiment_archived',
        `"${key}" is archived: restore it before changing it.`,
      );
    }
    return super.update(project, key, patch, expectedVersion, caller);
  }

  async start(
    project: Project,
    key: string,
    expectedVersion: number,
    caller: Caller,
  ): Promise<DefinitionRecord<ExperimentDocument>> {
    const current = await this.get(project, key);
    if (current.status !== 'draft' && current.status !== 'stopped') {
      throw new ExperimentStateError(
        'invalid_transition',
        `Only draft or stopped experiments can start; "${key}" is ${current.status}.`,
      );
    }
    const problems = await this.startProblems(project, current.definition);
    if (problems.length > 0)
      throw new ValidationError(`"${key}" is not ready to start.`, { issues: problems });
    const now = this.options.changes.clock.now().toISOString();
    const definition: ExperimentDocument = {
      ...current.definition,
      phases: [...current.definition.phases, { startedAt: now }],
      decision: undefined,
    };
    return this.replace({
      project,
      current,
      candidate: definition,
      expectedVersion,
      caller,
      verb: 'started',
      status: 'running',
    });
  }

  async stop(
    project: Project,
    key: string,
    input: StopInput,
    expectedVersion: number,
    caller: Caller,
  ): Promise<DefinitionRecord<ExperimentDocument>> {
    const current = await this.get(project, key);
    if (current.status !== 'running') {
      throw new ExperimentStateError(
        'invalid_transition',
        `Only running experiments can stop; "${key}" is ${current.status}.`,
      );
    }
    if (input.outcome === 'ship') {
      const variation = input.variation;
      if (!variation || !current.definition.variations.some((candidate) => candidate.key === variation)) {
        throw new ValidationError('Shipping needs the winning variation.', {
          issues: [
            {
              path: '/body/variation',
              message: `must be one of ${current.definition.variations.map((candidate) => candidate.key).join(', ')}`,
            },
          ],
        });
      }
    }
    const now = this.options.changes.clock.now().toISOString();
    const phases = current.definition.phases.map((phase, index, all) =>
      index === all.length - 1 && !phase.stoppedAt ? { ...phase, stoppedAt: now } : phase,
    );
    const definition: ExperimentDocument = {
      ...current.definition,
      phases,
      decision: {
        outcome: input.outcome,
        ...(input.variation !== undefined && { variation: input.variation }),
        ...(input.reason !== undefined && { reason: input.reason }),
        decidedAt: now,
      },
    };
    const outcome = input.outcome;
    return this.replace({
      project,
      current,
      candidate: definition,
      expectedVersion,
      caller,
      verb: 'stopped',
      status: 'stopped',
      ...((input.rollout ?? true) &&
        outcome !== 'inconclusive' && {
          beforeSave: (scope) =>
            this.flags.applyExperimentDecision(
              scope,
              project,
              { experimentKey: key, outcome, variation: input.variation },
              caller,
            ),
        }),
    });
  }

  override async setArchived(
    project: Project,
    key: string,
    archived: boolean,
    expectedVersion: number,
    caller: Caller,
  ) {
    const current = await this.get(project, key);
    if (archived && current.status === 'running') {
      throw new ExperimentStateError('experiment_running', `Stop "${key}" before archiving it.`);
    }
    return super.setArchived(project, key, archived, expectedVersion, caller);
  }

  /** An experiment that ran comes back stopped, not draft: its results and decision still stand. */
  protected override restoredStatus(current: DefinitionRecord<ExperimentDocument>): string {
    return current.definition.phases.length > 0 ? 'stopped' : 'draft';
  }

  private async startProblems(project: Project, experiment: ExperimentDocument) {
    const problems: { path: string; message: string }[] = [];
    if (experiment.metrics.primary.length === 0) {
      problems.push({ path: '/metrics/primary', message: 'needs at least one metric to decide on' });
    }
    for (const group of ['primary', 'secondary', 'guardrail'] as const) {
      for (const [index, metricKey] of experiment.metrics[group].entries()) {
        if (!(await this.metrics.isActiveMetric(project, metricKey))) {
          problems.push({ path: `/metrics/${group}/${index}`, message: `no active metric "${metricKey}"` });
        }
      }
    }
    const flags = await this.flags.flagsRunning(project, experiment.key);
    const runsIt = flags.some((flag) =>
      Object.values(flag.definition.environments).some((state) =>
        (state.rules ?? []).some(
          (rule: Rule) => rule.type === 'experiment' && rule.experimentKey === experiment.key,
        ),
      ),
    );
    if (!runsIt) {
      problems.push({
        path: '',
        message: `no flag runs "${experiment.key}": add a rule { "type": "experiment", "experimentKey": "${experiment.key}" } to a flag`,
      });
    }
    return problems;
  }
}
