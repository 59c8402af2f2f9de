/**
 * @module features/metrics/service
 * Metric definitions: what experiments are judged on. Not part of SDK configs (no config version
 * bump); archiving is refused while a live experiment uses the metric.
 */
import { type Metric, validateMetric } from '@cleave/core';
import type { Project } from '../../domain/project.js';
import { ConflictError } from '../../http/errors.js';
import {
  type Caller,
  type DefinitionKind,
  DefinitionService,
  type DefinitionServiceOptions,
} from '../definitions/service.js';

/** Which experiments use a metric (the experiments feature answers). */
export interface MetricUsage {
  experimentsUsingMetric(project: Project, metricKey: string): Promise<string[]>;
}

export const metricKind: DefinitionKind<Metric> = {
  table: 'metrics',
  noun: 'metric',
  validate: validateMetric,
  initialStatus: 'active',
};

export class MetricService extends DefinitionService<Metric> {
  private readonly usage: MetricUsage;

  constructor(options: DefinitionServiceOptions & { usage: MetricUsage }) {
    super(options, metricKind);
    this.usage = options.usage;
  }

  async isActiveMetric(project: Project, key: string): Promise<boolean> {
    const metric = await this.store().get(project.id, key);
    return metric !== undefined && metric.status !== 'archived';
  }

  override async setArchived(
    project: Project,
    key: string,
    archived: boolean,
    expectedVersion: number,
    caller: Caller,
  ) {
    if (archived) {
      const users = await this.usage.experimentsUsingMetric(project, key);
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
