/**
 * @module features/metrics/service
 * Metric definitions: what experiments are judged on. Not part of SDK configs (no config version
 * bump); archiving is refused while a live experiment uses the metric.
 */
import { type Metric, validateMetric } from '@cleave/core';
import type { Project } from '../../domain/project.js';
import { ConflictError } from '../../http/errors.js';
import type { ServiceContext } from '../../service-context.js';
import type { DefinitionRecord } from '../definitions/definition-record.js';
import { type Caller, type DefinitionKind, DefinitionService } from '../definitions/service.js';
import type { ExperimentDocument } from '../experiments/experiment-document.js';

export const metricKind: DefinitionKind<Metric> = {
  table: 'metrics',
  noun: 'metric',
  validate: validateMetric,
  initialStatus: 'active',
};

export class MetricService extends DefinitionService<Metric> {
  constructor(context: ServiceContext) {
    super(context, metricKind);
  }

  override async setArchived(
    project: Project,
    key: string,
    archived: boolean,
    expectedVersion: number,
    caller: Caller,
  ) {
    if (archived) {
      const experiments = (await this.context.stores.experiments.list(project.id, {
        status: ['draft', 'running'],
      })) as DefinitionRecord<ExperimentDocument>[];
      const users = experiments
        .filter((experiment) =>
          Object.values(experiment.definition.metrics).some((keys) => keys.includes(key)),
        )
        .map((experiment) => experiment.key);
      if (users.length > 0) {
        throw new ConflictError(
          `Metric "${key}" is used by ${users.join(', ')}; remove it from them first.`,
          { experiments: users },
        );
      }
    }
    return super.setArchived(project, key, archived, expectedVersion, caller);
  }
}
