/**
 * @module features/experiments/running-experiments
 * The running experiments that a change to a shared assignment input would touch. Holdouts and
 * layers feed every assignment of the experiments in their scope: changing one moves units of a
 * running experiment in or out of it, or between its variations, just as editing its own seed
 * would, and biases its results. Their services ask here before such a change, in the change's own
 * transaction, and refuse it while anything in scope runs.
 */
import type { SqlExecutor } from '../../adapters/sql/transactor.js';
import { readDefinitions } from '../definitions/read-definitions.js';
import type { ExperimentDocument } from './experiment-document.js';
import { ExperimentStateError } from './service.js';

/** Every experiment of the project, or only those in one layer. */
export type AssignmentScope = { kind: 'project' } | { kind: 'layer'; layerKey: string };

/** Keys of the running experiments in any of `scopes`, sorted. */
export async function runningExperimentsIn(
  db: SqlExecutor,
  projectId: string,
  scopes: readonly AssignmentScope[],
): Promise<string[]> {
  if (scopes.length === 0) return [];
  // Few experiments run at once in a project, so reading them all is cheap and needs no index.
  const running = await readDefinitions<Pick<ExperimentDocument, 'layer'>>(db, 'experiments', projectId, {
    status: ['running'],
  });
  return running
    .filter((experiment) =>
      scopes.some((scope) => scope.kind === 'project' || experiment.definition.layer?.key === scope.layerKey),
    )
    .map((experiment) => experiment.key)
    .sort();
}

/**
 * Throws 409 `experiment_running` when `experiments` is not empty. `action` names the change:
 * `changing the fraction of holdout "loyal"`; `fields` lists what it would have changed.
 */
export function refuseWhileRunning(experiments: readonly string[], action: string, fields: string[]): void {
  if (experiments.length === 0) return;
  const names = experiments.map((key) => `"${key}"`).join(', ');
  const subject = `${action.charAt(0).toUpperCase()}${action.slice(1)}`;
  throw new ExperimentStateError(
    'experiment_running',
    `${subject} would move units of the running experiment${experiments.length === 1 ? '' : 's'} ${names} ` +
      'in or out of it or between its variations, and bias the results. Stop it first ' +
      '(POST .../experiments/{key}/stop), make the change, then start it again: a new phase begins and results restart.',
    { experiments, fields },
  );
}
