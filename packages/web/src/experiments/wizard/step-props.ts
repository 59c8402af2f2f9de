/**
 * @module experiments/wizard/step-props
 * What every wizard step gets: the draft, a way to change part of it, and the API's field
 * messages by body pointer (the create request failed with them).
 */
import { ApiError } from '../../api/api-error.js';
import type { ExperimentDraft } from './experiment-draft.js';

export interface StepProps {
  draft: ExperimentDraft;
  update(patch: Partial<ExperimentDraft>): void;
  /** The message for a body pointer (`/layer`), or for any field under it. */
  issue(bodyPointer: string): string | undefined;
}

/** The first field message at or under a body pointer: `/layer` finds `/body/layer/range/end`. */
export function issueUnder(error: Error | null, bodyPointer: string): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  const prefix = `/body${bodyPointer}`;
  return error.issues.find((issue) => issue.path === prefix || issue.path.startsWith(`${prefix}/`))?.message;
}
